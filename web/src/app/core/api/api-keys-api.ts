import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import {
  ApiKey,
  ApiKeyListResponse,
  ApiRoutes,
  CreateApiKeyRequest,
  CreatedApiKeyResponse,
} from '@vidgen/contracts';
import { firstValueFrom, map } from 'rxjs';

/** The /api/api-keys endpoints. Failures reject with ApiError (see the error interceptor). */
@Injectable({ providedIn: 'root' })
export class ApiKeysApi {
  private readonly http = inject(HttpClient);

  list(): Promise<ApiKey[]> {
    return firstValueFrom(
      this.http.get<ApiKeyListResponse>(ApiRoutes.apiKeys).pipe(map((r) => r.items)),
    );
  }

  /** The answer holds the key's secret, which the API never sends again. */
  create(request: CreateApiKeyRequest): Promise<CreatedApiKeyResponse> {
    return firstValueFrom(this.http.post<CreatedApiKeyResponse>(ApiRoutes.apiKeys, request));
  }

  revoke(id: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(ApiRoutes.apiKey(id)));
  }
}
