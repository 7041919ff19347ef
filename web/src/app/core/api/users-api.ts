import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import {
  ApiRoutes,
  ChangePasswordRequest,
  DeleteAccountRequest,
  MeResponse,
  ProfileResponse,
  UpdateProfileRequest,
  User,
} from '@vidgen/contracts';
import { firstValueFrom, map } from 'rxjs';

/** The /api/users/me endpoints. Failures reject with ApiError (see the error interceptor). */
@Injectable({ providedIn: 'root' })
export class UsersApi {
  private readonly http = inject(HttpClient);

  getProfile(): Promise<ProfileResponse> {
    return firstValueFrom(this.http.get<ProfileResponse>(ApiRoutes.profile));
  }

  updateProfile(request: UpdateProfileRequest): Promise<User> {
    return firstValueFrom(
      this.http.patch<MeResponse>(ApiRoutes.profile, request).pipe(map((r) => r.user)),
    );
  }

  changePassword(request: ChangePasswordRequest): Promise<void> {
    return firstValueFrom(this.http.post<void>(ApiRoutes.changePassword, request));
  }

  deleteAccount(request: DeleteAccountRequest): Promise<void> {
    return firstValueFrom(this.http.request<void>('DELETE', ApiRoutes.profile, { body: request }));
  }
}
