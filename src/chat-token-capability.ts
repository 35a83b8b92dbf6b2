// Free of aws-cdk-lib: the token vendor's handler bundle reads these values through the contract module.

/**
 * What a chat token lets its holder do in the room, besides receiving messages (always allowed).
 */
export enum ChatTokenCapability {
  /** Send messages to the room. */
  SEND_MESSAGE = 'SEND_MESSAGE',
  /** Delete anyone's messages (moderation). */
  DELETE_MESSAGE = 'DELETE_MESSAGE',
  /** Disconnect users from the room (moderation). */
  DISCONNECT_USER = 'DISCONNECT_USER',
}
