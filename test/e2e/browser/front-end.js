import { ChatRoom, SendMessageRequest } from 'amazon-ivs-chat-messaging';

async function fetchChatToken() {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(TOKEN_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${idToken}` },
      body: JSON.stringify({
        roomArn: LOBBY_ARN,                  // required when the vendor has more than one room
        sessionDurationInMinutes: 20,        // at most the vendor's maximum
      }),
    });
    const body = await res.json();
    if (res.status === 429 && attempt < 20) {
      // a join storm: come back after Retry-After, jittered up to twice that
      const seconds = Number(res.headers.get('retry-after')) || 1;
      await new Promise((resolve) => setTimeout(resolve, seconds * (1 + Math.random()) * 1000));
      continue;
    }
    if (!res.ok) throw new Error(`${res.status}: ${body.message}`);
    return {
      token: body.token,
      tokenExpirationTime: new Date(body.tokenExpirationTime),
      sessionExpirationTime: new Date(body.sessionExpirationTime),
    };
  }
}

const room = new ChatRoom({ regionOrUrl: CHAT_URL, tokenProvider: fetchChatToken });
room.addListener('message', (message) => console.log(`${message.sender.userId}: ${message.content}`));
room.connect();
// once connected: await room.sendMessage(new SendMessageRequest('Hello!'));
export { room, SendMessageRequest };
