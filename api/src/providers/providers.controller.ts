import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ProviderInfo, ProvidersResponse } from '@vidgen/contracts';
import { Authenticated } from '../auth/auth.decorators';
import { VIDEO_PROVIDER, VideoProvider } from './video-provider';

class ProviderInfoView implements ProviderInfo {
  @ApiProperty({ example: 'local' }) name!: string;
  @ApiProperty({ example: 'Local preview (not AI)' }) label!: string;
  @ApiProperty({ description: 'The built-in renderer: a local preview, not AI.' })
  isLocalPreview!: boolean;
  @ApiProperty({
    type: [Number],
    example: [5, 10, 15],
    description: 'Lengths to offer; the first is the default.',
  })
  durationOptions!: number[];
}

class ProvidersView implements ProvidersResponse {
  @ApiProperty({ type: ProviderInfoView }) active!: ProviderInfoView;
}

@ApiTags('videos')
@Controller('providers')
@Authenticated()
export class ProvidersController {
  constructor(@Inject(VIDEO_PROVIDER) private readonly provider: VideoProvider) {}

  @Get()
  @ApiOperation({ summary: 'The video generator in use, and the lengths it offers.' })
  @ApiOkResponse({ type: ProvidersView })
  list(): ProvidersView {
    const { name, label, isLocalPreview, durationOptions } = this.provider;
    return { active: { name, label, isLocalPreview, durationOptions: [...durationOptions] } };
  }
}
