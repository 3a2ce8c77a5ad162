/** What the operations areas' requests share: the reason every action carries, read from a JSON body or a form. */
import { z } from 'zod';
import { AppError } from '../../errors.ts';

const reasonSchema = z.string().trim().min(2).max(500);

/** The typed reason, or 400 admin_reason_required. */
export function reasonOf(body: unknown): string {
  const r = reasonSchema.safeParse((body as { reason?: unknown } | null | undefined)?.reason);
  if (!r.success) throw new AppError('admin_reason_required');
  return r.data;
}

/** A body field that must be a string (a form field or JSON member), else 400 naming it. */
export function fieldOf(body: unknown, name: string, max = 200): string {
  const v = (body as Record<string, unknown> | null | undefined)?.[name];
  if (typeof v !== 'string' || v.trim() === '') throw new AppError('field_required', { params: { field: name } });
  if (v.length > max) throw new AppError('field_too_long', { params: { field: name } });
  return v.trim();
}
