import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApiRoutes, JobEventData, JobEventType, ProviderInfo } from '@vidgen/contracts';
import { CreatePage } from '../app/features/create/create-page';
import { getButton, getByRole, getField, settle, typeInto } from './dom';
import { FakeEventSources, provideFakeEventSources } from './fake-event-source';
import { StubPage, stubRoutes, testProviders } from './providers';
import { aJob, aLocalProvider, aVideo, JOB_ID } from './videos';

/** The Create page behind a router, with fake job streams and helpers to drive it. */
export class CreatePageHarness {
  readonly http = TestBed.inject(HttpTestingController);
  readonly sources = TestBed.inject(FakeEventSources);
  page!: HTMLElement;

  private constructor(private readonly harness: RouterTestingHarness) {}

  static async setUp(): Promise<CreatePageHarness> {
    TestBed.configureTestingModule({
      providers: [
        testProviders([
          { path: 'create', component: CreatePage },
          { path: 'videos/:id', component: StubPage },
          ...stubRoutes,
        ]),
        provideFakeEventSources(),
      ],
    });
    return new CreatePageHarness(await RouterTestingHarness.create());
  }

  get fixture() {
    return this.harness.fixture;
  }

  get url(): string {
    return TestBed.inject(Router).url;
  }

  /** Opens the page and answers its provider request (`null`: leaves it waiting). */
  async open(url = '/create', provider: ProviderInfo | null = aLocalProvider()): Promise<void> {
    await this.harness.navigateByUrl(url, CreatePage);
    this.page = this.harness.routeNativeElement as HTMLElement;
    if (provider) this.http.expectOne(ApiRoutes.providers).flush({ active: provider });
    // mat-select writes its initial value text on the next round.
    await this.settle();
  }

  /** Goes to another page, so the next `open` makes a new Create page. */
  async leave(): Promise<void> {
    await TestBed.inject(Router).navigateByUrl('/profile');
    await this.settle();
  }

  settle(): Promise<void> {
    return settle(this.harness.fixture);
  }

  async generate(prompt: string): Promise<void> {
    typeInto(getField(this.page, 'Prompt'), prompt);
    getButton(this.page, 'Generate').click();
    await this.settle();
  }

  /** The API takes the request: 202 with a queued video and job. */
  async accept(): Promise<void> {
    this.http
      .expectOne(ApiRoutes.videos)
      .flush({ video: aVideo(), job: aJob() }, { status: 202, statusText: 'Accepted' });
    await this.settle();
  }

  async emit(type: JobEventType, data: JobEventData, jobId = JOB_ID): Promise<void> {
    this.sources.latest(ApiRoutes.jobStream(jobId)).emit(type, data);
    await this.settle();
  }

  progressBar(): HTMLElement {
    return getByRole(this.page, 'progressbar', 'Generation progress');
  }

  radio(name: string): HTMLElement {
    return getByRole(this.page, 'radio', name);
  }
}
