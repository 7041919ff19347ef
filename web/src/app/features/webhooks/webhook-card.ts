import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  output,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { ErrorCode, Webhook } from '@vidgen/contracts';
import { firstValueFrom } from 'rxjs';
import { WebhooksApi } from '../../core/api/webhooks-api';
import { PendingAction } from '../../core/forms/pending-action';
import { toApiError } from '../../core/http/api-error';
import { confirm } from '../../shared/confirm-dialog';
import { FormAlert } from '../../shared/form-alert';
import { EditWebhookDialog } from './edit-webhook-dialog';
import { WebhookDeliveries } from './webhook-deliveries';
import { WEBHOOK_STATE_LABELS, webhookState } from './webhook-labels';

const DIALOG_SIZE = { width: '520px', maxWidth: 'calc(100vw - 32px)' };

/** One endpoint: what it asks for, whether it is on (and why not), its actions and its log. */
@Component({
  selector: 'app-webhook-card',
  imports: [
    DatePipe,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    FormAlert,
    WebhookDeliveries,
  ],
  templateUrl: './webhook-card.html',
  styleUrl: './webhook-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhookCard {
  private readonly webhooksApi = inject(WebhooksApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly log = viewChild.required(WebhookDeliveries);

  readonly webhook = input.required<Webhook>();
  /** The endpoint as saved, after an edit or being enabled again. */
  readonly changed = output<Webhook>();
  readonly deleted = output<Webhook>();

  protected readonly state = computed(() => webhookState(this.webhook()));
  protected readonly stateLabel = computed(() => WEBHOOK_STATE_LABELS[this.state()]);
  protected readonly action = new PendingAction();

  protected sendTest(): Promise<void> {
    return this.action.run(async () => {
      const delivery = await this.webhooksApi.sendTest(this.webhook().id);
      this.log().show(delivery);
      this.snackBar.open(
        delivery.status === 'succeeded'
          ? 'Test event delivered'
          : 'Test event sent. Its delivery is in the log below.',
        undefined,
        { duration: 4000 },
      );
      // The log as the server has it now, with whatever else happened meanwhile.
      await this.log().refresh();
    });
  }

  protected enableAgain(): Promise<void> {
    return this.action.run(async () => {
      this.changed.emit(await this.webhooksApi.update(this.webhook().id, { enabled: true }));
      this.snackBar.open('Endpoint enabled', undefined, { duration: 4000 });
    });
  }

  protected async edit(): Promise<void> {
    const saved = await firstValueFrom(
      this.dialog
        .open<EditWebhookDialog, Webhook, Webhook>(EditWebhookDialog, {
          data: this.webhook(),
          ...DIALOG_SIZE,
        })
        .afterClosed(),
    );
    if (saved) this.changed.emit(saved);
  }

  protected async delete(): Promise<void> {
    const webhook = this.webhook();
    const confirmed = await confirm(this.dialog, {
      title: 'Delete endpoint?',
      message: [
        'No more events will be sent to ',
        { code: webhook.url },
        ', and its delivery log goes with it. This cannot be undone.',
      ],
      confirmLabel: 'Delete endpoint',
    });
    if (!confirmed) return;
    await this.action.run(async () => {
      try {
        await this.webhooksApi.delete(webhook.id);
      } catch (error) {
        // Deleted already, from another tab or device: what was asked for is done.
        if (toApiError(error).code !== ErrorCode.NotFound) throw error;
      }
      this.deleted.emit(webhook);
      this.snackBar.open('Endpoint deleted', undefined, { duration: 4000 });
    });
  }
}
