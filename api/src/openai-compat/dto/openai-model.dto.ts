import { ApiProperty } from '@nestjs/swagger';

/** OpenAI's model object (`Model` in the `openai` package). */
export class OpenAiModel {
  @ApiProperty({ example: 'sora-2' }) id!: string;
  @ApiProperty({ enum: ['model'] }) object!: 'model';
  @ApiProperty({ type: 'integer', description: 'Unix time, in seconds.' }) created!: number;
  @ApiProperty({ example: 'vidgen' }) owned_by!: string;
}

export class OpenAiModelList {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [OpenAiModel] }) data!: OpenAiModel[];
}
