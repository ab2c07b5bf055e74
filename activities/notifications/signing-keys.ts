import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { PrismaClient } from '@prisma/client';
import { DeliveryError, NonRetryableDeliveryError, type NotificationMessage } from './notifier';

// Each contact has its own webhook signing secret, so one receiving country cannot forge messages
// to another. Secrets are stored AES-256-GCM encrypted under a key derived from
// WEBHOOK_SIGNING_SECRET (which itself signs nothing), and shown once, when issued.

const FORMAT = 'v1';

/** The key-encryption key, derived so the configured secret is never used directly as a cipher key. */
export function contactSecretKey(masterSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterSecret, 'cyberops', 'contact-webhook-signing-secrets', 32));
}

export function generateSigningSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function encryptSecret(key: Buffer, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [FORMAT, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), sealed.toString('base64url')].join(':');
}

export function decryptSecret(key: Buffer, stored: string): string {
  const [format, iv, tag, sealed] = stored.split(':');
  if (format !== FORMAT || !iv || !tag || !sealed) throw new Error('unknown signing-secret format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
}

/** Resolves the secret a webhook message is signed with: its contact's own. */
export type WebhookSecretFor = (msg: NotificationMessage) => Promise<string>;

/**
 * The contact is the message's `contactId`, or else the one webhook contact at that address.
 * No contact or no secret yet: retryable, so the message goes out once an admin issues one.
 */
export function contactSigningSecrets(prisma: Pick<PrismaClient, 'contact'>, masterSecret: string): WebhookSecretFor {
  const key = contactSecretKey(masterSecret);
  return async (msg) => {
    const contacts = msg.contactId
      ? await prisma.contact.findMany({ where: { id: msg.contactId }, select: { id: true, signingSecret: true } })
      : await prisma.contact.findMany({ where: { channel: 'webhook', address: msg.address }, select: { id: true, signingSecret: true } });
    if (contacts.length !== 1) {
      throw new NonRetryableDeliveryError(contacts.length ? 'several contacts share this webhook address; cannot choose a signing secret' : 'webhook address belongs to no contact; nothing to sign with');
    }
    const [contact] = contacts;
    if (!contact.signingSecret) {
      throw new DeliveryError(`contact ${contact.id} has no webhook signing secret yet: an admin issues one with POST /api/v1/contacts/${contact.id}/signing-secret`);
    }
    return decryptSecret(key, contact.signingSecret);
  };
}
