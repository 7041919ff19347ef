import {
  ChangeDetectionStrategy,
  ChangeDetectorRef,
  Component,
  DestroyRef,
  ElementRef,
  inject,
  input,
  OnInit,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import {
  AbstractControl,
  FormArray,
  FormControl,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  ValidatorFn,
  Validators,
} from '@angular/forms';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_URL_MAX_LENGTH, WebhookEventType } from '@vidgen/contracts';
import { requiredNonBlank } from '../../core/forms/server-errors';
import { FieldErrorPipe } from '../../shared/field-error.pipe';
import { EVENT_DESCRIPTIONS } from './webhook-labels';

let nextId = 0;

/**
 * One checkbox per event, in the contract's order (event names have dots, which form group keys
 * may not). Named `events`, like the request field, so the API's errors about it land on it.
 */
export type EventControls = FormArray<FormControl<boolean>>;

export interface WebhookFieldControls {
  url: FormControl<string>;
  events: EventControls;
}

/** A form that holds the URL and event controls, beside any others of its own. */
export type FormWithWebhookFields = AbstractControl & { controls: WebhookFieldControls };

/** A whole http(s) address; the API decides which hosts it may reach. */
const httpUrl: ValidatorFn = (control) => {
  const value = typeof control.value === 'string' ? control.value.trim() : '';
  if (value === '') return null;
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:' ? null : { url: true };
  } catch {
    return { url: true };
  }
};

const atLeastOneEvent: ValidatorFn = (events) =>
  (events as EventControls).controls.some((c) => c.value) ? null : { required: true };

/** The URL and event controls, filled from `from`; resetting them brings that back. */
export function webhookFieldControls(
  fb: NonNullableFormBuilder,
  from: { url: string; events: readonly WebhookEventType[] },
): WebhookFieldControls {
  return {
    url: fb.control(from.url, [
      requiredNonBlank,
      httpUrl,
      Validators.maxLength(WEBHOOK_URL_MAX_LENGTH),
    ]),
    events: fb.array(
      WEBHOOK_EVENT_TYPES.map((type) => fb.control(from.events.includes(type))),
      { validators: atLeastOneEvent },
    ),
  };
}

/** The ticked events, in the contract's order. */
export function chosenEvents(events: EventControls): WebhookEventType[] {
  return WEBHOOK_EVENT_TYPES.filter((_, index) => events.controls[index].value);
}

/** The endpoint's URL field and its event checkboxes, for a form that holds their controls. */
@Component({
  selector: 'app-webhook-fields',
  imports: [
    ReactiveFormsModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    FieldErrorPipe,
  ],
  template: `
    @let url = form().controls.url;
    @let events = form().controls.events;
    <mat-form-field class="url">
      <mat-label>Endpoint URL</mat-label>
      <input
        #urlInput
        matInput
        type="url"
        inputmode="url"
        [formControl]="url"
        required
        autocomplete="off"
        spellcheck="false"
        [maxlength]="urlMaxLength"
        placeholder="https://example.com/webhooks"
      />
      <mat-hint>Each event is sent here as a signed POST request.</mat-hint>
      @if (url.hasError('url')) {
        <mat-error>Enter a whole address, starting with https://</mat-error>
      } @else {
        <mat-error>{{ url.errors | fieldError: 'Endpoint URL' }}</mat-error>
      }
    </mat-form-field>
    <fieldset [attr.aria-describedby]="showEventsError() ? id + '-events-error' : null">
      <legend>Events</legend>
      @for (type of eventTypes; track type; let index = $index) {
        <div class="event">
          <mat-checkbox [formControl]="events.controls[index]" [aria-describedby]="id + '-' + type">
            <code>{{ type }}</code>
          </mat-checkbox>
          <span class="event-description" [id]="id + '-' + type">{{ descriptions[type] }}</span>
        </div>
      }
      <p class="events-error" [id]="id + '-events-error'" aria-live="polite">
        @if (showEventsError()) {
          {{ events.hasError('server') ? events.getError('server') : 'Choose at least one event.' }}
        }
      </p>
    </fieldset>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
    }
    fieldset {
      margin: 0 0 8px;
      padding: 0;
      border: 0;
    }
    legend {
      padding: 0;
      margin-bottom: 4px;
      font: var(--mat-sys-title-small);
    }
    .event {
      display: flex;
      flex-direction: column;
      margin-bottom: 4px;
    }
    code {
      font-family: ui-monospace, Menlo, Consolas, monospace;
    }
    .event-description {
      /* Under the label's text, past the checkbox's 40px box and the label's 4px padding. */
      margin-top: -8px;
      padding-inline-start: 44px;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .events-error {
      min-height: 20px;
      margin: 4px 0 0;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhookFields implements OnInit {
  private readonly changeDetector = inject(ChangeDetectorRef);
  private readonly destroyRef = inject(DestroyRef);
  private readonly urlInput = viewChild.required<ElementRef<HTMLInputElement>>('urlInput');

  readonly form = input.required<FormWithWebhookFields>();

  protected readonly urlMaxLength = WEBHOOK_URL_MAX_LENGTH;
  protected readonly eventTypes = WEBHOOK_EVENT_TYPES;
  protected readonly descriptions = EVENT_DESCRIPTIONS;
  protected readonly id = `app-webhook-fields-${nextId++}`;

  ngOnInit(): void {
    // The host form is submitted, reset or given the API's errors outside this view: without a
    // check then, the errors would not show.
    this.form()
      .events.pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe(() => this.changeDetector.markForCheck());
  }

  focus(): void {
    this.urlInput().nativeElement.focus();
  }

  protected showEventsError(): boolean {
    const events = this.form().controls.events;
    return events.invalid && events.touched;
  }
}
