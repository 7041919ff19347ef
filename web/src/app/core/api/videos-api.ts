import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import {
  ApiRoutes,
  CreateVideoRequest,
  CreateVideoResponse,
  UpdateVideoRequest,
  Video,
  VideoListQuery,
  VideoListResponse,
  VideoResponse,
} from '@vidgen/contracts';
import { firstValueFrom, map } from 'rxjs';

/** A list query; its status may name several statuses ("in progress" is queued or running). */
export type VideoListFilters = VideoListQuery;

/** The /api/videos endpoints. Failures reject with ApiError (see the error interceptor). */
@Injectable({ providedIn: 'root' })
export class VideosApi {
  private readonly http = inject(HttpClient);

  create(request: CreateVideoRequest): Promise<CreateVideoResponse> {
    return firstValueFrom(this.http.post<CreateVideoResponse>(ApiRoutes.videos, request));
  }

  list(filters: VideoListFilters = {}): Promise<VideoListResponse> {
    return firstValueFrom(
      this.http.get<VideoListResponse>(ApiRoutes.videos, {
        params: toParams(filters),
      }),
    );
  }

  get(id: string): Promise<Video> {
    return firstValueFrom(
      this.http.get<VideoResponse>(ApiRoutes.video(id)).pipe(map((r) => r.video)),
    );
  }

  update(id: string, request: UpdateVideoRequest): Promise<Video> {
    return firstValueFrom(
      this.http.patch<VideoResponse>(ApiRoutes.video(id), request).pipe(map((r) => r.video)),
    );
  }

  delete(id: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(ApiRoutes.video(id)));
  }
}

function toParams(filters: VideoListFilters): HttpParams {
  let params = new HttpParams();
  const { status, orientation, favorite, q, cursor, limit } = filters;
  const statuses = typeof status === 'string' ? [status] : (status ?? []);
  if (statuses.length > 0) params = params.set('status', statuses.join(','));
  if (orientation) params = params.set('orientation', orientation);
  if (favorite) params = params.set('favorite', 'true');
  if (q?.trim()) params = params.set('q', q.trim());
  if (cursor) params = params.set('cursor', cursor);
  if (limit) params = params.set('limit', limit);
  return params;
}
