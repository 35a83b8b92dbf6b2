/**
 * The end-to-end world: the IVS Chat stand-in with its messaging endpoint, the BUNDLED token vendor
 * (assets/handlers/token-vendor/token-vendor.lambda, run `npx projen bundle` first) configured exactly as the
 * ChatTokenVendor construct configures it, and a local HTTP API in front of it. Rooms come from `Room` constructs,
 * synthesized and created by the BUNDLED provider (`deploy`). Not a test file.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LocalHttpApi } from './local-http-api';
import { ChatTokenVendor, ChatTokenVendorProps, Room } from '../../src';
import { loadBundle } from '../lifecycle/harness';
import {
  applyTemplate, AppliedTemplate, ExternalReference, IvsChatStandIn, RoomSnapshot, MessagingEndpoint,
} from 'cdk-ivs-chat/testing';

/** The vendor's props, with stand-in rooms instead of constructs. */
export type VendorSettings = Omit<ChatTokenVendorProps, 'rooms'> & { readonly rooms: readonly RoomSnapshot[] };

interface VendorBundle {
  handler(event: unknown): Promise<unknown>;
}

/**
 * The environment the ChatTokenVendor construct gives its function for these settings, read from the
 * synthesized template, so the test follows the construct's contract rather than repeating it.
 */
export function vendorEnvironment(settings: VendorSettings): Record<string, string> {
  const stack = new Stack(new App(), 'E2E', { env: { account: '123456789012', region: 'us-east-1' } });
  const rooms = settings.rooms.map((room, i) => Room.fromRoomArn(stack, `Room${i}`, room.arn));
  new ChatTokenVendor(stack, 'Vendor', { ...settings, rooms });
  const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
  if (functions.length !== 1) throw new Error(`expected the vendor's one function, found ${functions.length}`);
  const variables = functions[0].Properties.Environment.Variables as Record<string, unknown>;
  for (const [name, value] of Object.entries(variables)) {
    if (typeof value !== 'string') throw new Error(`${name} did not synthesize to a plain string: ${JSON.stringify(value)}`);
  }
  return variables as Record<string, string>;
}

export class EndToEndWorld {
  static async start(): Promise<EndToEndWorld> {
    const world = new EndToEndWorld();
    world.standIn = await IvsChatStandIn.start({ clock: () => Date.now() + world.clockOffsetMs });
    world.messaging = await MessagingEndpoint.start(world.standIn);
    world.api = await LocalHttpApi.start((event) => {
      if (!world.vendor) throw new Error('no vendor: call useVendor() first');
      return world.vendor.handler(event);
    });
    return world;
  }

  standIn!: IvsChatStandIn;
  messaging!: MessagingEndpoint;
  api!: LocalHttpApi;
  /** Added to the stand-in's clock (token and session times). */
  clockOffsetMs = 0;
  private vendor?: VendorBundle;

  private constructor() {}

  /** A fresh container of the bundled vendor, configured as the construct would configure it. */
  useVendor(settings: VendorSettings): void {
    this.vendor = loadBundle<VendorBundle>('token-vendor/token-vendor.lambda', { ...this.standIn.environment(), ...vendorEnvironment(settings) });
  }

  /** A stack in the stand-in's account and region, for the constructs a test deploys. */
  newStack(): Stack {
    return new Stack(new App(), 'Chat', { env: { account: this.standIn.accountId, region: this.standIn.region } });
  }

  /**
   * Creates the stack's rooms and logging configurations in the stand-in as a deployment would: the synthesized
   * template's custom resources, run through the BUNDLED provider (cdk-ivs-chat/testing's applyTemplate).
   */
  deploy(stack: Stack, references: Record<string, ExternalReference> = {}): Promise<AppliedTemplate> {
    const template = Template.fromStack(stack).toJSON();
    return applyTemplate(template, { environment: this.standIn.environment(), accountId: this.standIn.accountId, references });
  }

  reset(): void {
    this.messaging.reset();
    this.messaging.setMaxSession(undefined);
    this.standIn.reset();
    this.api.reset();
    this.clockOffsetMs = 0;
    this.vendor = undefined;
  }

  async stop(): Promise<void> {
    await this.api?.stop();
    await this.messaging?.stop();
    await this.standIn?.stop();
  }
}
