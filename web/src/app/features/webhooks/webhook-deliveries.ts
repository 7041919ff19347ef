import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input, OnInit, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { WebhookDelivery } from '@vidgen/contracts';
import { WebhooksApi } from '../../core/api/webhooks-api';
import { toApiError } from '../../core/http/api-error';
import { FormAlert } from '../../shared/form-alert';
import { attemptOutcome, deliveryStatusLabel } from './webhook-labels';

let nextId = 0;

/** An endpoint's delivery log, newest first: each event sent, its tries, and the next one due. */
@Component({
  selector: 'app-webhook-deliveries',
  imports: [DatePipe, MatButtonModule, MatIconModule, MatProgressBarModule, FormAlert],
  templateUrl: './webhook-deliveries.html',
  styleUrl: './webhook-deliveries.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhookDeliveries implements OnInit {
  private readonly webhooksApi = inject(WebhooksApi);

  readonly webhookId = input.required<string>();

  protected readonly id = `app-webhook-deliveries-${nextId++}`;
  protected readonly label = deliveryStatusLabel;
  protected readonly outcome = attemptOutcome;

  protected readonly deliveries = signal<WebhookDelivery[] | null>(null);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly loading = signal(false);
  protected readonly loadingMore = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly moreError = signal<string | null>(null);

  /** Answers to a superseded load (refreshed meanwhile) are dropped. */
  private generation = 0;

  ngOnInit(): void {
    void this.refresh();
  }

  /** The newest page again, in place of what is shown. */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    this.loading.set(true);
    this.error.set(null);
    this.moreError.set(null);
    try {
      const page = await this.webhooksApi.deliveries(this.webhookId());
      if (generation !== this.generation) return;
      this.deliveries.set(page.items);
      this.nextCursor.set(page.nextCursor);
    } catch (error) {
      if (generation === this.generation) this.error.set(toApiError(error).displayMessage);
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }

  /** A delivery the page already has (a test just sent), shown without waiting for a refresh. */
  show(delivery: WebhookDelivery): void {
    this.deliveries.update((list) => [
      delivery,
      ...(list ?? []).filter((d) => d.id !== delivery.id),
    ]);
  }

  protected async loadMore(): Promise<void> {
    const cursor = this.nextCursor();
    if (!cursor || this.loading() || this.loadingMore()) return;
    const generation = this.generation;
    this.loadingMore.set(true);
    this.moreError.set(null);
    try {
      const page = await this.webhooksApi.deliveries(this.webhookId(), cursor);
      if (generation !== this.generation) return;
      const known = new Set(this.deliveries()?.map((d) => d.id));
      this.deliveries.update((list) => [
        ...(list ?? []),
        ...page.items.filter((d) => !known.has(d.id)),
      ]);
      this.nextCursor.set(page.nextCursor);
    } catch (error) {
      if (generation === this.generation) this.moreError.set(toApiError(error).displayMessage);
    } finally {
      this.loadingMore.set(false);
    }
  }
}
