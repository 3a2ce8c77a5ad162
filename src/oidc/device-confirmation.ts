/**
 * Hall kiosks are signed in by counter staff, who type the kiosk's user code in the console
 * (src/counter/kiosk.ts). The provider's own confirmation — a user code typed or linked at
 * /device, then a sign-in on whatever device opened the link, then /device/<uid> — is not
 * offered: through it, anyone who got a citizen to open a link could take over a kiosk's
 * sign-in. Those requests are sent to the /device page, which says where kiosk codes go.
 */
import type { NextFunction, Request, Response } from 'express';

const DEVICE = '/device';
// the device authorization endpoint itself (the kiosk asks for its codes there)
const AUTHORIZATION = '/device/auth';

export function deviceConfirmationAtCounterOnly(req: Request, res: Response, next: NextFunction): void {
  const { path } = req;
  const confirming =
    (path === DEVICE && (req.method !== 'GET' || req.query.user_code !== undefined)) ||
    (path.startsWith(`${DEVICE}/`) && path !== AUTHORIZATION && path !== `${AUTHORIZATION}/`);
  if (!confirming) return next();
  res.redirect(303, DEVICE);
}
