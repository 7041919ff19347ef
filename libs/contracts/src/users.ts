import { User } from './auth';

export interface ProfileStats {
  videoCount: number;
  storageBytes: number;
}

export interface ProfileResponse {
  user: User;
  stats: ProfileStats;
}

export interface UpdateProfileRequest {
  displayName: string;
}

export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

export interface DeleteAccountRequest {
  password: string;
}
