import { Public } from '@hotline/observability';
import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { AllowedBeforePasswordChange, CurrentStaff, Requires } from '../staff-access/access.decorators';
import { StaffPrincipal } from '../staff-access/staff-principal';
import { StaffSessions } from '../staff-access/staff-sessions.service';

export class LoginRequest {
  @ApiProperty({ example: 'analyst@hotline.example' })
  @IsString()
  @MaxLength(320)
  email: string;

  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  password: string;

  @ApiProperty({ description: 'The current 6-digit code of the authenticator app', example: '123456' })
  @IsString()
  @Length(1, 16)
  totp: string;
}

export class LoginResponse {
  @ApiProperty({ description: 'Send as `Authorization: Bearer <token>`' })
  accessToken: string;

  @ApiProperty({ description: 'When it lapses if unused; each use extends it, up to STAFF_SESSION_MAX after login' })
  expiresAt: string;
}

export class StaffSelf {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  email: string;

  @ApiProperty({ enum: ['analyst', 'senior_analyst', 'le_liaison', 'regulator', 'admin'] })
  role: string;

  @ApiProperty({ type: String, nullable: true })
  agency: string | null;

  @ApiProperty()
  sessionExpiresAt: string;
}

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly sessions: StaffSessions) {}

  /** Any wrong part (email, password, code), a locked or a disabled account: the same 401. */
  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponse })
  async login(@Body() body: LoginRequest): Promise<LoginResponse> {
    const { accessToken, expiresAt } = await this.sessions.login(body.email, body.password, body.totp);
    return { accessToken, expiresAt: expiresAt.toISOString() };
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @Requires('session.own')
  @AllowedBeforePasswordChange()
  @ApiNoContentResponse({ description: 'The token no longer works' })
  async logout(@CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest): Promise<void> {
    await this.sessions.logout(staff);
    request.audited = true;
  }

  @Get('me')
  @ApiBearerAuth()
  @Requires('session.own')
  @AllowedBeforePasswordChange()
  @ApiOkResponse({ type: StaffSelf })
  me(@CurrentStaff() staff: StaffPrincipal): StaffSelf {
    return { id: staff.id, email: staff.email, role: staff.role, agency: staff.agency, sessionExpiresAt: staff.sessionExpiresAt.toISOString() };
  }
}
