import { HttpClient, HttpStatusCode } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import { Router } from '@angular/router';
import {
  ApiRoutes,
  AuthResponse,
  LoginRequest,
  MeResponse,
  RegisterRequest,
  User,
} from '@vidgen/contracts';
import { firstValueFrom } from 'rxjs';
import { toApiError } from '../http/api-error';
import { expectsUnauthenticated } from '../http/http-context';

/**
 * Who is logged in. The session itself is the API's httpOnly cookie; the access token in
 * the login response is deliberately dropped so no script can read it.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);

  private readonly currentUser = signal<User | null>(null);
  readonly user = this.currentUser.asReadonly();
  readonly isAuthenticated = computed(() => this.currentUser() !== null);

  async register(request: RegisterRequest): Promise<User> {
    const response = await firstValueFrom(
      this.http.post<AuthResponse>(ApiRoutes.register, request, {
        context: expectsUnauthenticated(),
      }),
    );
    this.currentUser.set(response.user);
    return response.user;
  }

  async login(request: LoginRequest): Promise<User> {
    const response = await firstValueFrom(
      this.http.post<AuthResponse>(ApiRoutes.login, request, {
        context: expectsUnauthenticated(),
      }),
    );
    this.currentUser.set(response.user);
    return response.user;
  }

  /** Restores the session from the cookie. Any failure means "not logged in" for now. */
  async loadMe(): Promise<User | null> {
    try {
      const response = await firstValueFrom(
        this.http.get<MeResponse>(ApiRoutes.me, {
          context: expectsUnauthenticated(),
        }),
      );
      this.currentUser.set(response.user);
    } catch {
      this.currentUser.set(null);
    }
    return this.currentUser();
  }

  /**
   * Asks the server whether the session has ended, the way any request would find out: on a 401
   * the error interceptor clears it and sends the person to log in. For callers that cannot see
   * a status themselves (an EventSource the server refused). A server that cannot be reached or
   * is overloaded says nothing about the session: false.
   */
  async sessionEnded(): Promise<boolean> {
    try {
      const response = await firstValueFrom(this.http.get<MeResponse>(ApiRoutes.me));
      this.currentUser.set(response.user);
      return false;
    } catch (error) {
      return toApiError(error).status === HttpStatusCode.Unauthorized;
    }
  }

  /** Ends the session on the server (best effort) and always locally, then shows login. */
  async logout(): Promise<void> {
    try {
      await firstValueFrom(
        this.http.post<void>(ApiRoutes.logout, null, {
          context: expectsUnauthenticated(),
        }),
      );
    } catch {
      // The cookie may already be gone or the server unreachable; the person still leaves.
    } finally {
      this.currentUser.set(null);
    }
    await this.router.navigateByUrl('/login');
  }

  /** Keeps the toolbar and guards in step after the profile changes. */
  setUser(user: User): void {
    this.currentUser.set(user);
  }

  clearSession(): void {
    this.currentUser.set(null);
  }
}
