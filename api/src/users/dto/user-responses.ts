import { ApiProperty } from '@nestjs/swagger';
import { MeResponse, ProfileResponse, ProfileStats } from '@vidgen/contracts';
import { UserView } from '../user.presenter';

export class UserResponse implements MeResponse {
  @ApiProperty({ type: UserView })
  user!: UserView;
}

export class ProfileStatsView implements ProfileStats {
  @ApiProperty({ description: 'Number of videos the user owns.' })
  videoCount!: number;

  @ApiProperty({ description: 'Bytes of stored video files and thumbnails.' })
  storageBytes!: number;
}

export class ProfileView implements ProfileResponse {
  @ApiProperty({ type: UserView })
  user!: UserView;

  @ApiProperty({ type: ProfileStatsView })
  stats!: ProfileStatsView;
}
