// The development transport: messages are kept in the database and listed at /dev/messages so a person (or a
// test) can follow the link. Only ever built when the configuration is not production (config.ts refuses it).
import type { DB } from '../db/connect';
import type { EmailConnector, SmsConnector } from '../delivery/types';
import { insertDevMessage } from '../repositories/dev-messages';

const LINK = /https?:\/\/[^\s"<>]+\/[vmr]\/[A-Za-z0-9_-]+/;

export function createDevEmailConnector(db: DB): EmailConnector {
  return {
    provider: 'dev',
    async send(msg) {
      const row = await insertDevMessage(db, {
        channel: 'email',
        to_address: msg.to,
        subject: msg.subject,
        text_body: msg.text,
        html_body: msg.html,
        link: LINK.exec(msg.text)?.[0] ?? null,
      });
      return { provider: 'dev', providerMessageId: `dev-${row.id}` };
    },
  };
}

export function createDevSmsConnector(db: DB): SmsConnector {
  return {
    provider: 'dev',
    async send(msg) {
      const row = await insertDevMessage(db, {
        channel: 'sms',
        to_address: msg.to,
        subject: null,
        text_body: msg.body,
        html_body: null,
        link: LINK.exec(msg.body)?.[0] ?? null,
      });
      return { provider: 'dev', providerMessageId: `dev-${row.id}` };
    },
  };
}
