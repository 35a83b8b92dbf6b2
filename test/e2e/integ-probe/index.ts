/**
 * The integ stack's probe (deployed only by integ-runner against a real account): it joins ROOM_ARN with the
 * same `amazon-ivs-chat-messaging` SDK a front end uses (Node 24 has a global WebSocket), sends the payload's
 * `content`, and returns what the service delivered back to it, or the error it got.
 */
// The Lambda runtime provides the SDK v3; NodejsFunction bundles the rest.
import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import { ChatError, ChatRoom, SendMessageRequest } from 'amazon-ivs-chat-messaging';

const client = new IvschatClient({});

export interface ProbeResult {
  readonly sent: string;
  readonly received?: { readonly content: string; readonly attributes?: Record<string, string>; readonly userId: string };
  readonly error?: { readonly code: number; readonly message: string };
}

export async function handler(event: { content?: string }): Promise<ProbeResult> {
  const sent = event.content ?? 'hello';
  const roomArn = process.env.ROOM_ARN!;
  const room = new ChatRoom({
    regionOrUrl: process.env.AWS_REGION!,
    tokenProvider: async () => {
      const token = await client.send(new CreateChatTokenCommand({ roomIdentifier: roomArn, userId: 'integ-probe', capabilities: ['SEND_MESSAGE'] }));
      return { token: token.token!, tokenExpirationTime: token.tokenExpirationTime, sessionExpirationTime: token.sessionExpirationTime };
    },
  });
  room.logLevel = 'error';
  try {
    await new Promise<void>((resolve, reject) => {
      room.addListener('connect', () => resolve());
      room.addListener('disconnect', (reason) => reject(new Error(`could not connect: ${reason}`)));
      room.connect();
    });
    const message = await room.sendMessage(new SendMessageRequest(sent));
    return { sent, received: { content: message.content, attributes: message.attributes, userId: message.sender.userId } };
  } catch (e) {
    const error = e as Partial<ChatError> & Error;
    return { sent, error: { code: error.errorCode ?? 0, message: error.errorMessage ?? error.message } };
  } finally {
    room.disconnect();
  }
}
