import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { API_KEY_PREFIX } from '@vidgen/contracts';
import * as passport from 'passport';
import { ExtractJwt } from 'passport-jwt';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { ApiKeyPrincipal } from './authenticated-user';

type Done = (error: unknown, principal?: ApiKeyPrincipal | false) => void;
type Verify = (secret: string, done: Done) => void;

// The same reading of the header as the JWT strategy's.
const fromBearer = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * Takes the requests whose `Authorization: Bearer` holds an API key (`vg_...`) and passes every
 * other one on to the next strategy, so a key is never read as a JWT nor a JWT as a key. No
 * cookie is involved, so there is no CSRF to check.
 */
class BearerApiKeyStrategy extends passport.Strategy {
  constructor(private readonly verify: Verify) {
    super();
  }

  // Passport's types know only Express; the request is Fastify's.
  override authenticate(request: object): void {
    const token = fromBearer(request as never);
    if (!token?.startsWith(API_KEY_PREFIX)) return this.fail();
    this.verify(token, (error, principal) => {
      if (error) this.error(error);
      else if (principal) this.success(principal);
      else this.fail();
    });
  }
}

@Injectable()
export class ApiKeyStrategy extends PassportStrategy(BearerApiKeyStrategy, 'api-key') {
  constructor(private readonly apiKeys: ApiKeysService) {
    super();
  }

  validate(secret: string): Promise<ApiKeyPrincipal> {
    return this.apiKeys.authenticate(secret);
  }
}
