import {
  ApiRoutes,
  CSRF_COOKIE,
  CreateVideoResponse,
  SESSION_COOKIE,
  TERMINAL_JOB_STATUSES,
  VideoJob,
} from '@vidgen/contracts';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestApp } from '../support/app';

/**
 * The accounts and objects the fuzzer's requests refer to, so that ids can be the caller's own,
 * someone else's, deleted or made up, and credentials valid or not.
 */

export type ActorName = 'owner' | 'other' | 'scratch';

export interface Actor {
  name: ActorName;
  userId: string;
  email: string;
  password: string;
  accessToken: string;
  cookies: Record<string, string>;
  csrfToken: string;
}

/** Settings of the app under fuzz: one render at a time, so generated videos stay cheap. */
export const FUZZ_APP_SETTINGS: Record<string, string> = { JOB_CONCURRENCY: '1' };

export class FuzzWorld {
  /** Ids of each actor's videos and jobs; they grow as generated requests create more. */
  readonly videos: Record<'owner' | 'other', string[]> = { owner: [], other: [] };
  readonly jobs: Record<'owner' | 'other', string[]> = { owner: [], other: [] };
  /** A finished video of the owner that no generated request deletes, for content and thumbnail. */
  readyVideo = '';
  readyJob = '';
  /** A video (and its job) the owner deleted during seeding. */
  deletedVideo = '';
  deletedJob = '';
  owner!: Actor;
  other!: Actor;

  private constructor(
    readonly api: TestApp,
    readonly jwtSecret: string,
  ) {}

  get url(): string {
    return this.api.url;
  }

  /** Registers two users and gives the owner a ready, a cancelled and a deleted video. */
  static async seed(api: TestApp): Promise<FuzzWorld> {
    const secret =
      api.config.jwtSecret ?? readFileSync(join(api.config.dataDir, 'jwt-secret'), 'utf8').trim();
    const world = new FuzzWorld(api, secret);
    world.owner = await world.register('owner');
    world.other = await world.register('other');

    const ready = await world.createVideo(world.owner);
    await world.waitForJob(world.owner, ready.job.id);
    world.readyVideo = ready.video.id;
    world.readyJob = ready.job.id;

    const cancelled = await world.createVideo(world.owner);
    await world.call(world.owner, 'POST', ApiRoutes.jobCancel(cancelled.job.id));
    const deleted = await world.createVideo(world.owner);
    await world.call(world.owner, 'DELETE', ApiRoutes.video(deleted.video.id));
    world.deletedVideo = deleted.video.id;
    world.deletedJob = deleted.job.id;

    const foreign = await world.createVideo(world.other);
    await world.call(world.other, 'POST', ApiRoutes.jobCancel(foreign.job.id));
    return world;
  }

  /**
   * A new user for a request that may end its session or account (logout, password change,
   * account deletion), so the owner's and the other's credentials stay valid.
   */
  scratchActor(): Promise<Actor> {
    return this.register('scratch');
  }

  /**
   * Keeps the ids of the video and job a generated request created, and cancels the job: renders
   * would otherwise keep a core busy all run long, and a cancelled video is one to retry.
   */
  async adopt(actor: ActorName, body: unknown): Promise<void> {
    if (actor === 'scratch') return;
    const jobId = this.learn(actor, body);
    if (!jobId) return;
    const holder = actor === 'owner' ? this.owner : this.other;
    // The job may have finished meanwhile (409): either way it no longer renders.
    await fetch(`${this.url}${ApiRoutes.jobCancel(jobId)}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${holder.accessToken}` },
    }).then((response) => response.arrayBuffer());
  }

  /** Keeps the ids of a created video and its job; returns the job's id when it is new. */
  private learn(actor: 'owner' | 'other', body: unknown): string | undefined {
    const created = body as Partial<CreateVideoResponse> | undefined;
    const videoId = created?.video?.id;
    const jobId = created?.job?.id;
    if (typeof videoId === 'string' && !this.videos[actor].includes(videoId)) {
      this.videos[actor].push(videoId);
    }
    if (typeof jobId !== 'string' || this.jobs[actor].includes(jobId)) return undefined;
    this.jobs[actor].push(jobId);
    return jobId;
  }

  private async register(name: ActorName): Promise<Actor> {
    const email = `fuzz-${name}-${randomBytes(6).toString('hex')}@example.com`;
    const password = `pw-${randomBytes(9).toString('base64url')}`;
    const response = await fetch(`${this.url}${ApiRoutes.register}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const body = (await response.json()) as { accessToken: string; user: { id: string } };
    if (response.status !== 201) {
      throw new Error(
        `fuzz seeding: register answered ${response.status}: ${JSON.stringify(body)}`,
      );
    }
    const cookies: Record<string, string> = {};
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      cookies[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1));
    }
    if (!cookies[SESSION_COOKIE] || !cookies[CSRF_COOKIE]) {
      throw new Error(`fuzz seeding: register set no session cookies: ${Object.keys(cookies)}`);
    }
    return {
      name,
      userId: body.user.id,
      email,
      password,
      accessToken: body.accessToken,
      cookies,
      csrfToken: cookies[CSRF_COOKIE],
    };
  }

  private async createVideo(actor: Actor): Promise<CreateVideoResponse> {
    const created = (await this.call(actor, 'POST', ApiRoutes.videos, {
      prompt: 'A paper boat drifting down a rainy street',
      durationSeconds: 1,
    })) as CreateVideoResponse;
    if (actor.name !== 'scratch') this.learn(actor.name, created);
    return created;
  }

  private async waitForJob(actor: Actor, jobId: string): Promise<void> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { job } = (await this.call(actor, 'GET', ApiRoutes.job(jobId))) as { job: VideoJob };
      if (TERMINAL_JOB_STATUSES.includes(job.status)) return;
      if (Date.now() > deadline) throw new Error(`fuzz seeding: job ${jobId} never finished`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  private async call(actor: Actor, method: string, path: string, body?: object): Promise<unknown> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${actor.accessToken}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (response.status >= 300) {
      throw new Error(`fuzz seeding: ${method} ${path} answered ${response.status}: ${text}`);
    }
    return text ? JSON.parse(text) : undefined;
  }
}
