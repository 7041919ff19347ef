import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JobListResponse, JobResponse } from '@vidgen/contracts';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { JobView } from '../job.presenter';

export class JobResponseView implements JobResponse {
  @ApiProperty({ type: JobView }) job!: JobView;
}

export class JobListView implements JobListResponse {
  @ApiProperty({ type: [JobView] }) items!: JobView[];
}

export class ListJobsQuery {
  @ApiPropertyOptional({ description: 'Only queued and running jobs.', type: Boolean })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'active must be true or false.' })
  active?: boolean;
}
