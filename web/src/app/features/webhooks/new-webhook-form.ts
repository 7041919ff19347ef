import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  inject,
  Injector,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { CreatedWebhookResponse, Webhook, WEBHOOK_EVENT_TYPES } from '@vidgen/contracts';
import { WebhooksApi } from '../../core/api/webhooks-api';
import { FormSubmission } from '../../core/forms/form-submission';
import { FormAlert } from '../../shared/form-alert';
import { OneTimeSecret } from '../../shared/one-time-secret';
import { chosenEvents, WebhookFields, webhookFieldControls } from './webhook-fields';

/** Adds an endpoint, then shows its signing secret, once, in the form's place. */
@Component({
  selector: 'app-new-webhook-form',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatProgressBarModule,
    FormAlert,
    OneTimeSecret,
    WebhookFields,
  ],
  template: `
    @if (created(); as created) {
      <app-one-time-secret
        heading="Signing secret of your new endpoint"
        noun="secret"
        [secret]="created.secret"
        (done)="dismissSecret()"
      >
        Your receiver needs it to check the <code>webhook-signature</code> header of each delivery.
      </app-one-time-secret>
    } @else {
      <form [formGroup]="form" (ngSubmit)="create()" novalidate aria-label="New endpoint">
        <app-webhook-fields [form]="form" />
        <app-form-alert [message]="submission.error()" />
        @if (submission.pending()) {
          <mat-progress-bar mode="indeterminate" aria-label="Adding the endpoint" />
        }
        <div class="actions">
          <button matButton="filled" type="submit" [disabled]="submission.pending()">
            Add endpoint
          </button>
        </div>
      </form>
    }
  `,
  styles: `
    form {
      display: flex;
      flex-direction: column;
      max-width: 640px;
    }
    .actions {
      display: flex;
      justify-content: flex-end;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NewWebhookForm {
  private readonly webhooksApi = inject(WebhooksApi);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly injector = inject(Injector);
  private readonly fields = viewChild(WebhookFields);

  readonly added = output<Webhook>();

  /** A new endpoint asks for every event unless told otherwise. */
  protected readonly form = this.fb.group(
    webhookFieldControls(this.fb, { url: '', events: WEBHOOK_EVENT_TYPES }),
  );
  protected readonly submission = new FormSubmission(this.form);
  /** The endpoint just added, with the secret that is never shown again once this is cleared. */
  protected readonly created = signal<CreatedWebhookResponse | null>(null);

  protected create(): Promise<void> {
    return this.submission.run(async () => {
      const { controls } = this.form;
      const response = await this.webhooksApi.create({
        url: controls.url.value.trim(),
        events: chosenEvents(controls.events),
      });
      // Back to a new endpoint's values (every event) for the form shown after the secret.
      this.form.reset();
      this.created.set(response);
      this.added.emit(response.webhook);
    });
  }

  protected dismissSecret(): void {
    this.created.set(null);
    afterNextRender(() => this.fields()?.focus(), { injector: this.injector });
  }
}
