import { expect, type APIRequestContext } from '@playwright/test';
import {
  ApiRoutes,
  type AuthResponse,
  type CreateVideoRequest,
  type CreateVideoResponse,
  type JobResponse,
  type VideoJob,
} from '@vidgen/contracts';
import type { Account } from './accounts';

/**
 * A session of its own on an app server, as a script or another device has: a Bearer token, no
 * cookie, so what it does reaches the browser's pages only through the server.
 */
export class ApiSession {
  private constructor(
    private readonly request: APIRequestContext,
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Registers `account` on the server at `baseUrl`; the browser is not logged in by it. */
  static register(request: APIRequestContext, baseUrl: string, account: Account) {
    return ApiSession.start(request, baseUrl, ApiRoutes.register, account);
  }

  static logIn(request: APIRequestContext, baseUrl: string, account: Account) {
    return ApiSession.start(request, baseUrl, ApiRoutes.login, {
      email: account.email,
      password: account.password,
    });
  }

  private static async start(
    request: APIRequestContext,
    baseUrl: string,
    route: string,
    body: object,
  ): Promise<ApiSession> {
    const response = await request.post(baseUrl + route, { data: body });
    expect(response.ok(), `${route}: ${response.status()}`).toBe(true);
    const { accessToken } = (await response.json()) as AuthResponse;
    return new ApiSession(request, baseUrl, accessToken);
  }

  async createVideo(body: CreateVideoRequest): Promise<CreateVideoResponse> {
    return (await this.send('post', ApiRoutes.videos, body)) as CreateVideoResponse;
  }

  async job(id: string): Promise<VideoJob> {
    return ((await this.send('get', ApiRoutes.job(id))) as JobResponse).job;
  }

  /** Ends every other session of the account, the browser's included. */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.send('post', ApiRoutes.changePassword, { currentPassword, newPassword });
  }

  private async send(method: 'get' | 'post', route: string, body?: object): Promise<unknown> {
    const response = await this.request[method](this.baseUrl + route, {
      headers: { Authorization: `Bearer ${this.token}` },
      ...(body ? { data: body } : {}),
    });
    expect(response.ok(), `${method.toUpperCase()} ${route}: ${response.status()}`).toBe(true);
    return response.status() === 204 ? null : response.json();
  }
}
