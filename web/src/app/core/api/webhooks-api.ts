import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import {
  ApiRoutes,
  CreatedWebhookResponse,
  CreateWebhookRequest,
  UpdateWebhookRequest,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryListResponse,
  WebhookListResponse,
  WebhookTestResponse,
} from '@vidgen/contracts';
import { firstValueFrom, map } from 'rxjs';

/** The /api/webhooks endpoints. Failures reject with ApiError (see the error interceptor). */
@Injectable({ providedIn: 'root' })
export class WebhooksApi {
  private readonly http = inject(HttpClient);

  list(): Promise<Webhook[]> {
    return firstValueFrom(
      this.http.get<WebhookListResponse>(ApiRoutes.webhooks).pipe(map((r) => r.items)),
    );
  }

  /** The answer holds the signing secret, which the API never sends again. */
  create(request: CreateWebhookRequest): Promise<CreatedWebhookResponse> {
    return firstValueFrom(this.http.post<CreatedWebhookResponse>(ApiRoutes.webhooks, request));
  }

  update(id: string, request: UpdateWebhookRequest): Promise<Webhook> {
    return firstValueFrom(this.http.patch<Webhook>(ApiRoutes.webhook(id), request));
  }

  delete(id: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(ApiRoutes.webhook(id)));
  }

  /** Sends a `webhook.test` event to the endpoint; the answer is its delivery, as logged. */
  sendTest(id: string): Promise<WebhookDelivery> {
    return firstValueFrom(
      this.http
        .post<WebhookTestResponse>(ApiRoutes.webhookTest(id), null)
        .pipe(map((r) => r.delivery)),
    );
  }

  /** A page of the endpoint's deliveries, newest first; `cursor` is the last page's nextCursor. */
  deliveries(id: string, cursor?: string): Promise<WebhookDeliveryListResponse> {
    const params = cursor ? new HttpParams().set('cursor', cursor) : undefined;
    return firstValueFrom(
      this.http.get<WebhookDeliveryListResponse>(ApiRoutes.webhookDeliveries(id), { params }),
    );
  }
}
