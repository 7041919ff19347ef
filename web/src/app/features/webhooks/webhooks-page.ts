import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Webhook } from '@vidgen/contracts';
import { WebhooksApi } from '../../core/api/webhooks-api';
import { toApiError } from '../../core/http/api-error';
import { FormAlert } from '../../shared/form-alert';
import { NewWebhookForm } from './new-webhook-form';
import { WebhookCard } from './webhook-card';

/** The person's webhook endpoints: add one (its secret shown once), edit, test, follow deliveries. */
@Component({
  selector: 'app-webhooks-page',
  imports: [
    MatButtonModule,
    MatCardModule,
    MatProgressBarModule,
    FormAlert,
    NewWebhookForm,
    WebhookCard,
  ],
  templateUrl: './webhooks-page.html',
  styleUrl: './webhooks-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhooksPage implements OnInit {
  private readonly webhooksApi = inject(WebhooksApi);

  protected readonly webhooks = signal<Webhook[] | null>(null);
  protected readonly loading = signal(false);
  protected readonly loadError = signal<string | null>(null);

  ngOnInit(): void {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.loading.set(true);
    this.loadError.set(null);
    try {
      this.webhooks.set(await this.webhooksApi.list());
    } catch (error) {
      this.loadError.set(toApiError(error).displayMessage);
    } finally {
      this.loading.set(false);
    }
  }

  protected added(webhook: Webhook): void {
    this.webhooks.update((list) => [webhook, ...(list ?? [])]);
  }

  protected changed(webhook: Webhook): void {
    this.webhooks.update((list) => list?.map((w) => (w.id === webhook.id ? webhook : w)) ?? null);
  }

  protected deleted(webhook: Webhook): void {
    this.webhooks.update((list) => list?.filter((w) => w.id !== webhook.id) ?? null);
  }
}
