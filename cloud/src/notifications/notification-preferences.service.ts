import type {
  NotificationPreferences,
  UpdateNotificationPreferences,
} from '@clubos/shared/api/notification-preferences.schemas';
import { badRequest, notFound } from '@clubos/shared/errors';
import {
  CUSTOMER_MESSAGE_KINDS,
  channelChoice,
  ENTRY_KINDS,
  isCustomerMessageKind,
  KIND_LABELS,
  type KindChannels,
  kindChannelsProblem,
} from '@clubos/shared/notifications';
import type { LinkTokens } from './link-tokens.js';
import type {
  NotificationPreferenceRepository,
  PreferenceOwner,
} from './notification-preferences.repository.js';

const ALL_ON: KindChannels = { email: true, sms: true, in_app: true };

/**
 * A customer's channels per message kind: for the signed-in account page and for the email link
 * (a token naming the customer, no login). Entry kinds keep email or SMS (`kindChannelsProblem`).
 */
export class NotificationPreferencesService {
  constructor(
    private readonly repo: NotificationPreferenceRepository,
    private readonly tokens: LinkTokens,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The token of the links in this customer's messages (unsubscribe, manage all). */
  tokenFor(customerId: string): string {
    return this.tokens.sign('preferences', customerId);
  }

  async view(customerId: string): Promise<NotificationPreferences> {
    return this.viewOf(await this.ownerOf(customerId));
  }

  async update(customerId: string, body: UpdateNotificationPreferences): Promise<NotificationPreferences> {
    const owner = await this.ownerOf(customerId);
    const kinds = body.kinds as Record<string, KindChannels>;
    for (const [kind, channels] of Object.entries(kinds)) {
      const problem = kindChannelsProblem(kind, channels, owner.preferences);
      if (problem) throw badRequest(`kinds.${kind}`, problem);
    }
    await this.repo.save(owner.customerId, kinds, new Date(this.clock()));
    return this.viewOf(owner);
  }

  /** The customer a link's token names: ours (`preferences`) or an older reminder link (the address). */
  async customerOfToken(token: string): Promise<string> {
    const id = this.tokens.verify('preferences', token);
    if (id) return id;
    const email = this.tokens.verify('unsubscribe', token);
    const owner = email ? await this.repo.ownerByEmail(email) : undefined;
    if (!owner)
      throw badRequest('token', 'the link is not valid (token does not match); open the newest email');
    return owner.customerId;
  }

  /** Which kind an unsubscribe link stops; an entry kind cannot be stopped (it carries the door PIN). */
  kindOf(kind: string | undefined): string {
    const k = kind ?? 'reminder';
    if (!isCustomerMessageKind(k)) {
      throw badRequest('kind', `kind must be one of ${CUSTOMER_MESSAGE_KINDS.join(', ')}`);
    }
    if (ENTRY_KINDS.has(k)) {
      throw badRequest(
        'kind',
        `${k} carries your door PIN and cannot be unsubscribed from; choose its channel instead`,
      );
    }
    return k;
  }

  /** One click from an email: no more messages of `kind` by email or SMS (in-app stays in the list). */
  async unsubscribe(token: string, kind: string | undefined): Promise<{ email: string; kind: string }> {
    const k = this.kindOf(kind);
    const owner = await this.ownerOf(await this.customerOfToken(token));
    const current = (await this.repo.choices(owner.customerId)).get(k) ?? ALL_ON;
    await this.repo.save(
      owner.customerId,
      { [k]: { ...current, email: false, sms: false } },
      new Date(this.clock()),
    );
    return { email: owner.email, kind: k };
  }

  private async ownerOf(customerId: string): Promise<PreferenceOwner> {
    const owner = await this.repo.owner(customerId);
    if (!owner) throw notFound('customer', customerId);
    return owner;
  }

  private async viewOf(owner: PreferenceOwner): Promise<NotificationPreferences> {
    const stored = await this.repo.choices(owner.customerId);
    return {
      email: owner.email,
      overall: channelChoice(owner.preferences),
      kinds: CUSTOMER_MESSAGE_KINDS.map((kind) => ({
        kind,
        label: KIND_LABELS[kind],
        entry: ENTRY_KINDS.has(kind),
        ...(stored.get(kind) ?? ALL_ON),
      })),
    };
  }
}
