import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OPENAI_PREFIX } from '@vidgen/contracts';
import { OpenAiModel, OpenAiModelList } from './dto/openai-model.dto';
import { OPENAI_TAG, OpenAiAuthenticated, OpenAiErrors } from './openai-swagger';
import { OpenAiVideosService } from './openai-videos.service';

const MODELS_DESCRIPTION =
  "The platform's generator (GET /api/providers) by its own name, and `sora-2`, the name OpenAI's clients send by default, which means the same generator.";

@ApiTags(OPENAI_TAG)
@Controller(`${OPENAI_PREFIX}/models`)
@OpenAiAuthenticated()
export class OpenAiModelsController {
  constructor(private readonly videos: OpenAiVideosService) {}

  @Get()
  @ApiOperation({
    summary: 'The models POST /v1/videos accepts (OpenAI: models.list).',
    description: MODELS_DESCRIPTION,
  })
  @ApiOkResponse({ type: OpenAiModelList })
  list(): OpenAiModelList {
    return { object: 'list', data: this.videos.models() };
  }

  @Get(':model')
  @ApiOperation({
    summary: 'One of the models (OpenAI: models.retrieve).',
    description: MODELS_DESCRIPTION,
  })
  @ApiOkResponse({ type: OpenAiModel })
  @OpenAiErrors(404)
  get(@Param('model') model: string): OpenAiModel {
    return this.videos.model(model);
  }
}
