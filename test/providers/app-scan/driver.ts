import assert from 'node:assert/strict';
import type { MethodDriver } from '../contract/driver.ts';
import { enrolCitizen } from '../../support/login.ts';
import { citizen } from '../../../src/sandbox/citizens.ts';
import { appSession, callApi, pollLink, tokenOn } from './city-app.ts';

const WHO = 'ouyang-xue';
const PASSWORD = 'CityApp2026scan';

export const driver: MethodDriver = {
  method: 'app-scan',
  // no outside authority: the city app calls us, and our side never calls the sandbox
  authority: undefined,
  citizen: WHO,
  async prepare({ stack }) {
    if (!(await stack.ctx.identity.findCredential('id-card-password', citizen(WHO).idNumber))) await enrolCitizen(stack, WHO, PASSWORD);
  },
  async signIn({ stack, browser }, first) {
    const accessToken = await appSession(stack, citizen(WHO), PASSWORD);
    const approved = await callApi(stack, 'approve', accessToken, { token: tokenOn(first.text) });
    assert.equal(approved.status, 200, approved.text);
    return browser.open(pollLink(first.text));
  },
};
