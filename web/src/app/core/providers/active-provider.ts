import { HttpClient } from '@angular/common/http';
import { inject, Injectable, signal } from '@angular/core';
import { ApiRoutes, ProviderInfo, ProvidersResponse } from '@vidgen/contracts';
import { firstValueFrom } from 'rxjs';
import { toApiError } from '../http/api-error';

/**
 * The video generator the server is configured with. It only changes when the server restarts,
 * so the first answer is kept for the rest of the session; a failure is not kept, so the next
 * `load()` asks again.
 */
@Injectable({ providedIn: 'root' })
export class ActiveProvider {
  private readonly http = inject(HttpClient);

  private readonly current = signal<ProviderInfo | null>(null);
  private readonly failure = signal<string | null>(null);
  private inFlight: Promise<void> | null = null;

  /** Null until loaded (or when loading failed). */
  readonly info = this.current.asReadonly();
  /** What went wrong with the last attempt, for people. */
  readonly error = this.failure.asReadonly();

  /** Fetches the provider unless it is already known; callers at the same time share one request. */
  load(): Promise<void> {
    if (this.current()) return Promise.resolve();
    this.inFlight ??= this.fetch().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async fetch(): Promise<void> {
    this.failure.set(null);
    try {
      const response = await firstValueFrom(this.http.get<ProvidersResponse>(ApiRoutes.providers));
      this.current.set(response.active);
    } catch (error) {
      this.failure.set(toApiError(error).displayMessage);
    }
  }
}
