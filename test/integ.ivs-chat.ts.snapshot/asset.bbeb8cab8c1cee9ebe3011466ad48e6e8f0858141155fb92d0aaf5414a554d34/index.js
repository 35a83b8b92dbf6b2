"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// test/e2e/integ-probe/index.ts
var index_exports = {};
__export(index_exports, {
  handler: () => handler
});
module.exports = __toCommonJS(index_exports);
var import_client_ivschat = require("@aws-sdk/client-ivschat");

// node_modules/amazon-ivs-chat-messaging/node_modules/uuid/dist/esm-node/rng.js
var import_crypto = __toESM(require("crypto"));
var rnds8Pool = new Uint8Array(256);
var poolPtr = rnds8Pool.length;
function rng() {
  if (poolPtr > rnds8Pool.length - 16) {
    import_crypto.default.randomFillSync(rnds8Pool);
    poolPtr = 0;
  }
  return rnds8Pool.slice(poolPtr, poolPtr += 16);
}

// node_modules/amazon-ivs-chat-messaging/node_modules/uuid/dist/esm-node/stringify.js
var byteToHex = [];
for (let i = 0; i < 256; ++i) {
  byteToHex.push((i + 256).toString(16).slice(1));
}
function unsafeStringify(arr, offset = 0) {
  return byteToHex[arr[offset + 0]] + byteToHex[arr[offset + 1]] + byteToHex[arr[offset + 2]] + byteToHex[arr[offset + 3]] + "-" + byteToHex[arr[offset + 4]] + byteToHex[arr[offset + 5]] + "-" + byteToHex[arr[offset + 6]] + byteToHex[arr[offset + 7]] + "-" + byteToHex[arr[offset + 8]] + byteToHex[arr[offset + 9]] + "-" + byteToHex[arr[offset + 10]] + byteToHex[arr[offset + 11]] + byteToHex[arr[offset + 12]] + byteToHex[arr[offset + 13]] + byteToHex[arr[offset + 14]] + byteToHex[arr[offset + 15]];
}

// node_modules/amazon-ivs-chat-messaging/node_modules/uuid/dist/esm-node/native.js
var import_crypto2 = __toESM(require("crypto"));
var native_default = {
  randomUUID: import_crypto2.default.randomUUID
};

// node_modules/amazon-ivs-chat-messaging/node_modules/uuid/dist/esm-node/v4.js
function v4(options, buf, offset) {
  if (native_default.randomUUID && !buf && !options) {
    return native_default.randomUUID();
  }
  options = options || {};
  const rnds = options.random || (options.rng || rng)();
  rnds[6] = rnds[6] & 15 | 64;
  rnds[8] = rnds[8] & 63 | 128;
  if (buf) {
    offset = offset || 0;
    for (let i = 0; i < 16; ++i) {
      buf[offset + i] = rnds[i];
    }
    return buf;
  }
  return unsafeStringify(rnds);
}
var v4_default = v4;

// node_modules/amazon-ivs-chat-messaging/dist/esm/EventEmitter.js
var EventEmitter = class {
  constructor() {
    this.listeners = /* @__PURE__ */ new Map();
  }
  addListener(eventName, listener) {
    const eventListeners = this.listeners.get(eventName) || [];
    if (!eventListeners.includes(listener)) {
      this.listeners.set(eventName, [...eventListeners, listener]);
    }
    return () => this.removeListener(eventName, listener);
  }
  removeListener(eventName, listener) {
    const eventListeners = this.listeners.get(eventName);
    if (eventListeners) {
      this.listeners.set(eventName, eventListeners.filter((cb) => cb !== listener));
    }
  }
  emit(eventName, ...args) {
    var _a;
    (_a = this.listeners.get(eventName)) === null || _a === void 0 ? void 0 : _a.forEach((callback) => callback(...args));
  }
};

// node_modules/amazon-ivs-chat-messaging/dist/esm/utils/deserialize.js
function parseToken(token) {
  const tokenObject = parseObject(token);
  return {
    token: parseString(tokenObject === null || tokenObject === void 0 ? void 0 : tokenObject.token, "token"),
    sessionExpirationTime: parseDateObjectOrDateString(tokenObject === null || tokenObject === void 0 ? void 0 : tokenObject.sessionExpirationTime, "sessionExpirationTime"),
    tokenExpirationTime: parseDateObjectOrDateString(tokenObject === null || tokenObject === void 0 ? void 0 : tokenObject.tokenExpirationTime, "tokenExpirationTime")
  };
}
function parseChatMessage(entity) {
  const sender = parseObject(entity.Sender, "Sender");
  return {
    id: parseString(entity.Id, "Id"),
    sender: {
      userId: parseString(sender.UserId, "Sender.UserId"),
      attributes: parseChatAttributes(sender.Attributes, "Sender.Attributes")
    },
    content: parseString(entity.Content, "Content"),
    sendTime: parseDateString(entity.SendTime, "SendTime"),
    requestId: parseOptionalString(entity.RequestId, "RequestId"),
    attributes: parseChatAttributes(entity.Attributes, "Attributes")
  };
}
function parseChatAttributes(value, field) {
  if (value == null) {
    return void 0;
  }
  const objectValue = parseObject(value, field);
  Object.entries(objectValue).forEach(([key, value2]) => {
    if (typeof value2 !== "string") {
      throw createParsingError(`${field}: expected object with string keys & values but got '${key}' of type ${typeof value2}: ${value2}`);
    }
  });
  return objectValue;
}
function parseChatEvent(entity) {
  return {
    id: parseString(entity.Id, "Id"),
    eventName: parseString(entity.EventName, "EventName"),
    sendTime: parseDateString(entity.SendTime, "SendTime"),
    requestId: parseOptionalString(entity.RequestId, "RequestId"),
    attributes: parseChatAttributes(entity.Attributes, "Attributes")
  };
}
function parseDeleteMessageEvent(event) {
  var _a, _b;
  return {
    id: event.id,
    messageId: parseString((_a = event.attributes) === null || _a === void 0 ? void 0 : _a.MessageID, "event.attributes.MessageID"),
    reason: parseOptionalString((_b = event.attributes) === null || _b === void 0 ? void 0 : _b.Reason, "event.attributes.Reason"),
    sendTime: event.sendTime,
    requestId: event.requestId,
    attributes: event.attributes
  };
}
function parseDisconnectUserEvent(event) {
  var _a, _b;
  return {
    id: event.id,
    userId: parseString((_a = event.attributes) === null || _a === void 0 ? void 0 : _a.UserId, "event.attributes.UserId"),
    reason: parseOptionalString((_b = event.attributes) === null || _b === void 0 ? void 0 : _b.Reason, "event.attributes.Reason"),
    sendTime: event.sendTime,
    requestId: event.requestId,
    attributes: event.attributes
  };
}
function parseChatError(entity) {
  return {
    id: parseString(entity.Id, "Id"),
    errorCode: parseNumber(entity.ErrorCode, "ErrorCode"),
    errorMessage: parseString(entity.ErrorMessage, "ErrorMessage"),
    requestId: parseOptionalString(entity.RequestId, "RequestId")
  };
}
function parseString(value, field) {
  if (typeof value !== "string") {
    throw createParsingError(`${field}: expected string but got ${typeof value}: ${value}`);
  }
  return value;
}
function parseOptionalString(value, field) {
  if (value == null) {
    return void 0;
  }
  if (typeof value !== "string") {
    throw createParsingError(`${field}: expected string or null/undefined but got ${typeof value}: ${value}`);
  }
  return value;
}
function parseNumber(value, field) {
  if (typeof value !== "number") {
    throw createParsingError(`${field}: expected number but got ${typeof value}: ${value}`);
  }
  return value;
}
function parseDateString(value, field) {
  if (typeof value !== "string") {
    throw createParsingError(`${field}: expected date string but got ${typeof value}: ${value}`);
  }
  const dateValue = new Date(value);
  if (isNaN(dateValue.getTime())) {
    throw createParsingError(`${field}: expected date string but got ${typeof value}: ${value}`);
  }
  return dateValue;
}
function parseDateObjectOrDateString(value, field) {
  if (value == null) {
    return void 0;
  }
  const dateObject = typeof value === "string" ? new Date(value) : value;
  if (!(dateObject instanceof Date) || isNaN(dateObject === null || dateObject === void 0 ? void 0 : dateObject.getTime())) {
    throw createParsingError(`${field}: expected Date object or ISO 8601 string but got ${typeof value}: ${value}`);
  }
  return dateObject;
}
function parseObject(value, field) {
  if (value == null || typeof value !== "object") {
    throw createParsingError(`${field ? `${field}: ` : ""}expected object but got ${typeof value}: ${value}`);
  }
  if (Array.isArray(value)) {
    throw createParsingError(`${field ? `${field}: ` : ""}expected object but got array: ${value}`);
  }
  return value;
}
function createParsingError(message) {
  const error = new Error(message);
  error.name = "ParsingError";
  return error;
}

// node_modules/amazon-ivs-chat-messaging/dist/esm/ChatConnection.js
var __awaiter = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve) {
      resolve(value);
    });
  }
  return new (P || (P = Promise))(function(resolve, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var ChatConnection = class {
  constructor({ socketUrl, tokenProvider, maxReconnectAttempts = 3, roomId, logger, logLevel }) {
    this.reconnectAttemptCount = 0;
    this.closeReason = "serverDisconnect";
    this.eventEmitter = new EventEmitter();
    this._state = "connecting";
    this.socket = null;
    this.logLevel = "debug";
    this.onOpen = () => {
      this.state = "open";
    };
    this.onClose = (event) => {
      const isCleanClose = event.wasClean || event.code === 1e3;
      if (!isCleanClose) {
        this.onError(event);
        return;
      }
      this.logDebug(`did receive WebSocket "close" event: code ${event.code}, reason ${event.reason}, was clean: ${event.wasClean}`);
      this.state = "close";
      this.clearSocket();
    };
    this.onError = (event) => {
      this.clearSocket();
      this.logError('did receive WebSocket "error" event', event);
      if (this.state === "open") {
        this.closeReason = "socketConnectionBroken";
      } else {
        this.closeReason = "socketError";
      }
      this.reconnectIfNeeded();
    };
    this.onMessage = ({ data }) => {
      this.dispatchEvent("message", data);
    };
    this.socketUrl = socketUrl;
    this.tokenProvider = tokenProvider;
    this.maxReconnectAttempts = maxReconnectAttempts;
    this.roomId = roomId;
    this.logger = logger;
    this.logLevel = logLevel;
    this.requestToken();
  }
  get state() {
    return this._state;
  }
  set state(newState) {
    if (newState === this._state) {
      return;
    }
    const oldState = this._state;
    this._state = newState;
    this.logInfo(`changed state: ${oldState} -> ${newState}`);
    switch (newState) {
      case "open":
        this.dispatchEvent("open", this.tokenExpirationTime);
        break;
      case "close":
        this.dispatchEvent("close", this.closeReason);
        break;
    }
  }
  close() {
    var _a;
    this.state = "close";
    (_a = this.socket) === null || _a === void 0 ? void 0 : _a.close(1e3);
    this.clearSocket();
  }
  send(json) {
    var _a;
    if (this.state !== "open") {
      throw new Error(`Trying to send while in state ${this.state}`);
    }
    (_a = this.socket) === null || _a === void 0 ? void 0 : _a.send(json);
  }
  addListener(eventName, listener) {
    return this.eventEmitter.addListener(eventName, listener);
  }
  removeListener(eventName, listener) {
    return this.eventEmitter.removeListener(eventName, listener);
  }
  dispatchEvent(name, ...payload) {
    this.logDebug(`dispatching event "${name}"`, ...payload);
    this.eventEmitter.emit(name, ...payload);
  }
  reconnectIfNeeded() {
    if (this.closeReason === "serverDisconnect" || this.closeReason === "socketConnectionBroken") {
      this.logInfo(`closed due to reason "${this.closeReason}". This connection will not attempt to reconnect.`);
      this.state = "close";
      return;
    }
    if (this.reconnectAttemptCount >= this.maxReconnectAttempts) {
      this.logInfo("max reconnect limit has been reached");
      this.state = "close";
      return;
    }
    this.reconnectAttemptCount += 1;
    this.logInfo(`attempting re-connection ${this.reconnectAttemptCount}`);
    this.requestToken();
  }
  requestToken() {
    return __awaiter(this, void 0, void 0, function* () {
      this.logDebug("requesting token");
      let chatToken = null;
      try {
        chatToken = parseToken(yield this.tokenProvider());
        this.tokenExpirationTime = chatToken.tokenExpirationTime;
      } catch (error) {
        this.logError("did receive error while fetching token", error);
        this.closeReason = "fetchTokenError";
        this.reconnectIfNeeded();
        return;
      }
      if (this.state === "close") {
        this.logDebug("did receive token after being close by the room");
        return;
      }
      this.logDebug("did receive token", chatToken.token);
      this.createSocket(chatToken.token);
    });
  }
  createSocket(token) {
    try {
      this.logDebug(`connecting to WebSocket ${this.socketUrl}`);
      this.socket = new WebSocket(this.socketUrl, token);
      this.socket.addEventListener("open", this.onOpen);
      this.socket.addEventListener("close", this.onClose);
      this.socket.addEventListener("message", this.onMessage);
      this.socket.addEventListener("error", this.onError);
    } catch (error) {
      this.logError(`failed to create WebSocket for url: ${this.socketUrl}`, error);
      this.closeReason = "socketError";
      this.state = "close";
    }
  }
  clearSocket() {
    var _a, _b, _c, _d, _e;
    (_a = this.socket) === null || _a === void 0 ? void 0 : _a.removeEventListener("open", this.onOpen);
    (_b = this.socket) === null || _b === void 0 ? void 0 : _b.removeEventListener("close", this.onClose);
    (_c = this.socket) === null || _c === void 0 ? void 0 : _c.removeEventListener("message", this.onMessage);
    (_d = this.socket) === null || _d === void 0 ? void 0 : _d.removeEventListener("error", this.onError);
    (_e = this.socket) === null || _e === void 0 ? void 0 : _e.addEventListener("error", () => {
    });
    this.socket = null;
  }
  logDebug(message, ...args) {
    if (this.logLevel === "debug") {
      this.logger.debug(`Room ${this.roomId} connection ${message}`, ...args);
    }
  }
  logInfo(message, ...args) {
    if (this.logLevel === "debug" || this.logLevel === "info") {
      this.logger.info(`Room ${this.roomId} connection ${message}`, ...args);
    }
  }
  logError(message, ...args) {
    this.logger.error(`Room ${this.roomId} connection ${message}`, ...args);
  }
};

// node_modules/amazon-ivs-chat-messaging/dist/esm/errors.js
var chatErrorCodes = {
  /** The request is malformed or invalid. */
  badRequest: 400,
  /** The connection has expired. */
  unauthorized: 401,
  /** The connection’s capabilities do not permit this action. */
  forbidden: 403,
  /** The room cannot be found (does not exist). */
  notFound: 404,
  /** The request was rejected during message review. */
  notAcceptable: 406,
  /** The request contains fields that are too large. */
  payloadTooLarge: 413,
  /** The application has exceeded rate limits. */
  tooManyRequests: 429,
  /** This is returned for a general error. */
  internalServerError: 500
};

// node_modules/amazon-ivs-chat-messaging/dist/esm/logging.js
var ConsoleLogger = class {
  debug(message, ...args) {
    console.debug(message, ...args);
  }
  info(message, ...args) {
    console.info(message, ...args);
  }
  error(message, ...args) {
    console.error(message, ...args);
  }
};

// node_modules/amazon-ivs-chat-messaging/dist/esm/utils/validate.js
function validateString(value, field) {
  if (typeof value !== "string") {
    throw createValidationError(`${field}: expected string but got ${typeof value}: ${value}`);
  }
}
function validateOptionalString(value, field) {
  const isValidOptionalString = typeof value === "string" || value == null;
  if (!isValidOptionalString) {
    throw createValidationError(`${field}: expected string or null/undefined but got ${typeof value}: ${value}`);
  }
}
function validateOptionalObject(value, field) {
  const isValidOptionalObject = typeof value === "object" || value == null;
  if (!isValidOptionalObject) {
    throw createValidationError(`${field}: expected object but got ${typeof value}: ${value}`);
  }
}
function createValidationError(message) {
  const error = new Error(message);
  error.name = "ValidationError";
  return error;
}

// node_modules/amazon-ivs-chat-messaging/dist/esm/utils/serialize.js
function serializeRequest(request) {
  validateString(request.action, "request.action");
  validateString(request.requestId, "request.requestId");
  switch (request.action) {
    case "DELETE_MESSAGE": {
      validateString(request.id, "request.id");
      validateOptionalString(request.reason, "request.reason");
      break;
    }
    case "DISCONNECT_USER": {
      validateString(request.userId, "request.userId");
      validateOptionalString(request.reason, "request.reason");
      break;
    }
    case "SEND_MESSAGE": {
      validateString(request.content, "request.content");
      validateOptionalObject(request.attributes, "request.attributes");
      break;
    }
    default:
      throw createValidationError(`Cannot serialize request, invalid action ${request.action}`);
  }
  const mappedEntries = Object.entries(request).map(([key, value]) => {
    const mappedKey = key.charAt(0).toUpperCase() + key.substring(1);
    return [mappedKey, value];
  });
  return JSON.stringify(Object.fromEntries(mappedEntries));
}

// node_modules/amazon-ivs-chat-messaging/dist/esm/utils/url.js
var regionRegex = /^[a-zA-Z0-9-._~]+$/;
function makeWebSocketUrl(regionOrUrl) {
  if (regionOrUrl.startsWith("wss://") || regionOrUrl.startsWith("ws://")) {
    return regionOrUrl;
  }
  if (!regionOrUrl.match(regionRegex)) {
    throw new Error("Region contains invalid characters");
  }
  return `wss://edge.ivschat.${regionOrUrl}.amazonaws.com`;
}

// node_modules/amazon-ivs-chat-messaging/dist/esm/ChatRoom.js
var ChatRoom = class {
  /**
   * Constructs a new {@link ChatRoom} instance.
   *
   * @param config - {@link ChatRoomConfig | Constructor configuration object}
   */
  constructor({ regionOrUrl, tokenProvider, maxReconnectAttempts = 3, id = v4_default() }) {
    this._state = "disconnected";
    this.currentConnection = null;
    this.nextConnection = null;
    this.eventEmitter = new EventEmitter();
    this.disconnectReason = "serverDisconnect";
    this.pendingRequests = /* @__PURE__ */ new Map();
    this.nextConnectionScheduleHandle = null;
    this.receivedEntityIds = /* @__PURE__ */ new Set();
    this.logger = new ConsoleLogger();
    this.logLevel = "debug";
    this.clearConnection = (connection) => {
      connection === null || connection === void 0 ? void 0 : connection.removeListener("open", this.onOpen);
      connection === null || connection === void 0 ? void 0 : connection.removeListener("close", this.onClose);
      connection === null || connection === void 0 ? void 0 : connection.removeListener("message", this.onMessage);
      connection === null || connection === void 0 ? void 0 : connection.close();
    };
    this.disposeAllConnections = () => {
      this.clearConnection(this.currentConnection);
      this.clearConnection(this.nextConnection);
      this.currentConnection = null;
      this.nextConnection = null;
      if (this.nextConnectionScheduleHandle != null) {
        clearTimeout(this.nextConnectionScheduleHandle);
      }
    };
    this.onOpen = (tokenExpirationTime) => {
      var _a;
      this.state = "connected";
      if (((_a = this.nextConnection) === null || _a === void 0 ? void 0 : _a.state) === "open") {
        this.clearConnection(this.currentConnection);
        this.currentConnection = this.nextConnection;
        this.nextConnection = null;
        if (this.nextConnectionScheduleHandle != null) {
          clearTimeout(this.nextConnectionScheduleHandle);
        }
        setTimeout(() => this.receivedEntityIds.clear(), 500);
      }
      if (tokenExpirationTime != null) {
        this.scheduleReconnect(tokenExpirationTime);
      }
      this.logDebug('did receive connection "open" event');
    };
    this.onClose = (reason) => {
      if (reason === "socketConnectionBroken") {
        this.reconnect();
      } else {
        this.disconnectReason = reason;
        this.state = "disconnected";
        this.disposeAllConnections();
      }
    };
    this.onMessage = (data) => {
      let entity;
      try {
        entity = parseObject(JSON.parse(data), "data");
      } catch (error) {
        this.logError("failed to parse received JSON", data, error);
        return;
      }
      let id2;
      try {
        id2 = parseString(entity.Id, "Id");
        if (this.receivedEntityIds.has(id2)) {
          this.logDebug(`ignoring already received socket message with the same id: ${id2}`);
          return;
        } else {
          this.receivedEntityIds.add(id2);
        }
      } catch (error) {
        this.logError("failed to parse received entity Id", entity, error);
      }
      switch (entity.Type) {
        case "MESSAGE":
          this.receiveMessageJson(entity);
          break;
        case "EVENT":
          this.receiveEventJson(entity);
          break;
        case "ERROR":
          this.receiveErrorJson(entity);
          break;
        default:
          this.logError(`received unknown entity type ${entity.Type}`, data);
      }
    };
    this.id = id;
    this.tokenProvider = tokenProvider;
    this.socketUrl = makeWebSocketUrl(regionOrUrl);
    this.maxReconnectAttempts = maxReconnectAttempts;
  }
  /** Returns the {@link ConnectionState | connection state} of the {@link ChatRoom | room}. */
  get state() {
    return this._state;
  }
  set state(newState) {
    if (newState === this._state) {
      return;
    }
    const oldState = this._state;
    this._state = newState;
    this.logInfo(`changed state: ${oldState} -> ${newState}`);
    switch (newState) {
      case "connecting":
        this.dispatchEvent("connecting");
        break;
      case "connected":
        this.dispatchEvent("connect");
        break;
      case "disconnected":
        this.dispatchEvent("disconnect", this.disconnectReason);
        break;
    }
  }
  /**
   * Sets up a function that will be called whenever the {@link ChatRoomListenerMap | specified event} is delivered.
   *
   * @typeParam EventName - One of supported {@link ChatRoomListenerMap | event types}
   * @param eventName - Name of the {@link ChatRoomListenerMap | event}
   * @param listener - Function called whenever the {@link ChatRoomListenerMap | specified event} is delivered
   * @returns A function that removes the event listener
   */
  addListener(eventName, listener) {
    return this.eventEmitter.addListener(eventName, listener);
  }
  /**
   * Removes the event listener for the {@link ChatRoomListenerMap | specified event}.
   *
   * @typeParam Event - One of supported {@link ChatRoomListenerMap | event types}.
   */
  removeListener(eventName, listener) {
    return this.eventEmitter.removeListener(eventName, listener);
  }
  dispatchEvent(name, ...payload) {
    this.logDebug(`dispatching event "${name}"`, ...payload);
    this.eventEmitter.emit(name, ...payload);
  }
  /**
   * Initiates the process of connecting to the socket, using {@link ChatTokenProvider | token provider} passed to
   * constructor. In case of failure, it will try to reconnect the number of times specified in
   * {@link ChatRoom#maxReconnectAttempts }, defaulting to 3 attempts.
   */
  connect() {
    if (this.state !== "disconnected") {
      this.logError(`state must be "disconnected" but is ${this.state}`);
      throw new Error(`State must be "disconnected" but is ${this.state}`);
    }
    this.disconnectReason = "serverDisconnect";
    this.state = "connecting";
    this.currentConnection = this.createConnection();
  }
  /**
   * Initiates a graceful disconnection of the Web Socket. Results in calling the
   * {@link ChatRoomListenerMap | `disconnect` event} with `disconnectReason` parameter set to
   * {@link DisconnectReason | `'clientDisconnect'` }.
   */
  disconnect() {
    this.disconnectReason = "clientDisconnect";
    this.state = "disconnected";
    this.disposeAllConnections();
  }
  /**
   * Sends a {@link SendMessageRequest | message request } to the {@link ChatRoom | room} to the room.
   *
   * @param request - Contains a message and related metadata to be sent
   * @returns Promise that resolves to a {@link ChatMessage} or rejects with a {@link ChatError}
   * @throws {@link https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Error | Error}
   *   Thrown if the request cannot be serialized.
   * @throws {@link https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Error | Error}
   *   Thrown if the {@link ChatRoom | room} is not connected.
   * @throws {@link https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Error | Error}
   *   Thrown if a request with the same {@link SendMessageRequest#requestId} is already submitted.
   */
  sendMessage(request) {
    var _a;
    let json;
    try {
      json = serializeRequest(request);
    } catch (error) {
      this.logError(`failed to serialize send message request to JSON`, request, error);
      throw new Error(`Request serialization failed`);
    }
    if (this.state !== "connected") {
      this.logError("is not connected");
      throw new Error("Room is not connected");
    }
    if (this.pendingRequests.has(request.requestId)) {
      this.logError(`already has pending request with the same requestId`, request);
      throw new Error("Duplicate request id");
    }
    (_a = this.currentConnection) === null || _a === void 0 ? void 0 : _a.send(json);
    this.logInfo("did submit send message request", json);
    return new Promise((resolve, reject) => {
      this.pendingRequests.set(request.requestId, {
        type: "sendMessage",
        resolve,
        reject
      });
    });
  }
  /**
   * Sends a {@link DeleteMessageRequest | delete message request } to the room.
   *
   * @param request - Identifies a message to be deleted along with an optional reason for deletion.
   * @returns Promise that resolves to a {@link DeleteMessageEvent} or rejects with a {@link ChatError}
   * @throws {@link https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Error | Error}
   *   Thrown if the request cannot be serialized.
   * @throws {@link https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Error | Error}
   *   Thrown if the {@link ChatRoom | room} is not connected.
   * @throws {@link https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Error | Error}
   *   Thrown if a request with the same {@link DeleteMessageRequest#requestId} is already submitted.
   */
  deleteMessage(request) {
    var _a;
    let json;
    try {
      json = serializeRequest(request);
    } catch (error) {
      this.logError(`failed to serialize delete message request to JSON`, request, error);
      throw new Error(`Request serialization failed`);
    }
    if (this.state !== "connected") {
      this.logError("is not connected");
      throw new Error("Room is not connected");
    }
    if (this.pendingRequests.has(request.requestId)) {
      this.logError(`already has pending request with the same request id ${request.requestId}`, request);
      throw new Error("Duplicate request id");
    }
    (_a = this.currentConnection) === null || _a === void 0 ? void 0 : _a.send(json);
    this.logInfo("did submit send delete message request", json);
    return new Promise((resolve, reject) => {
      this.pendingRequests.set(request.requestId, {
        type: "deleteMessage",
        resolve,
        reject
      });
    });
  }
  /**
   * Sends a {@link DisconnectUserRequest | disconnect user request } to the room.
   *
   * @param request - Identifies the user to be disconnected along with an optional reason for disconnection.
   * @returns Promise that resolves to a {@link DisconnectUserEvent | disconnect user event} or rejects with a
   *   {@link ChatError | chat error}
   * @throws {@link https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Error | Error}
   *   Throws if the request cannot be serialized.
   * @throws {@link https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Error | Error}
   *   Throws if the {@link ChatRoom | room} is not connected.
   * @throws {@link https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Error | Error}
   *   Thrown if a request with the same {@link DisconnectUserRequest#requestId} is already submitted.
   */
  disconnectUser(request) {
    var _a;
    let json;
    try {
      json = serializeRequest(request);
    } catch (error) {
      this.logError(`failed to serialize disconnect user request to JSON`, request, error);
      throw new Error(`Request serialization failed`);
    }
    if (this.state !== "connected") {
      this.logError("is not connected");
      throw new Error("Room is not connected");
    }
    if (this.pendingRequests.has(request.requestId)) {
      this.logError(`already has pending request with the same request id ${request.requestId}`, request);
      throw new Error("Duplicate request id");
    }
    (_a = this.currentConnection) === null || _a === void 0 ? void 0 : _a.send(json);
    this.logInfo("did submit disconnect user request", request);
    return new Promise((resolve, reject) => {
      this.pendingRequests.set(request.requestId, {
        type: "disconnectUser",
        resolve,
        reject
      });
    });
  }
  scheduleReconnect(tokenExpirationTime) {
    const remainingTokenLife = tokenExpirationTime.getTime() - Date.now();
    const nextConnectionAfter = remainingTokenLife <= 6e4 ? Math.max(remainingTokenLife - 3e4, 0) : remainingTokenLife - 6e4;
    this.logDebug(`scheduled next connection in ${new Date(Date.now() - nextConnectionAfter).toISOString()}`);
    this.nextConnectionScheduleHandle = setTimeout(() => {
      this.logInfo("Refreshing connection...");
      this.nextConnection = this.createConnection();
    }, nextConnectionAfter);
  }
  createConnection() {
    const currentConnection = new ChatConnection({
      socketUrl: this.socketUrl,
      tokenProvider: this.tokenProvider,
      maxReconnectAttempts: this.maxReconnectAttempts,
      roomId: this.id,
      logger: this.logger,
      logLevel: this.logLevel
    });
    currentConnection.addListener("open", this.onOpen);
    currentConnection.addListener("close", this.onClose);
    currentConnection.addListener("message", this.onMessage);
    return currentConnection;
  }
  reconnect() {
    this.disconnectReason = "serverDisconnect";
    this.state = "connecting";
    this.clearConnection(this.currentConnection);
    this.currentConnection = this.createConnection();
  }
  receiveMessageJson(entity) {
    let message;
    try {
      message = parseChatMessage(entity);
      this.logInfo("did receive message", message);
    } catch (error) {
      this.logError("did fail to deserialize received message", entity, error);
      return;
    }
    this.dispatchEvent("message", message);
    if (message.requestId == null) {
      return;
    }
    const pendingRequest = this.pendingRequests.get(message.requestId);
    this.pendingRequests.delete(message.requestId);
    if ((pendingRequest === null || pendingRequest === void 0 ? void 0 : pendingRequest.type) === "sendMessage") {
      this.logDebug("resolving sendMessage promise", message);
      pendingRequest.resolve(message);
    } else if (pendingRequest != null) {
      this.logError(`found pending request of type "${pendingRequest === null || pendingRequest === void 0 ? void 0 : pendingRequest.type}" for request id ${message.requestId} but expected request of type "sendMessage"`, message);
    }
  }
  receiveEventJson(entity) {
    let event;
    try {
      event = parseChatEvent(entity);
    } catch (error) {
      this.logError("did fail to deserialize received event", entity, error);
      return;
    }
    switch (event.eventName) {
      case "aws:DELETE_MESSAGE": {
        this.handleDeleteMessageEvent(event);
        break;
      }
      case "aws:DISCONNECT_USER": {
        this.handleDisconnectUserEvent(event);
        break;
      }
      default:
        this.logInfo("did receive event", event);
        this.dispatchEvent("event", event);
        break;
    }
  }
  handleDeleteMessageEvent(event) {
    let deleteMessageEvent;
    try {
      deleteMessageEvent = parseDeleteMessageEvent(event);
      this.logInfo("did receive delete message event", event);
    } catch (error) {
      this.logError("did fail to deserialize received delete message event", event, error);
      return;
    }
    this.logDebug('dispatching "messageDelete" event', deleteMessageEvent);
    this.dispatchEvent("messageDelete", deleteMessageEvent);
    if (deleteMessageEvent.requestId == null) {
      return;
    }
    const pendingRequest = this.pendingRequests.get(deleteMessageEvent.requestId);
    this.pendingRequests.delete(deleteMessageEvent.requestId);
    if ((pendingRequest === null || pendingRequest === void 0 ? void 0 : pendingRequest.type) === "deleteMessage") {
      this.logDebug(`resolving deleteMessage promise`, deleteMessageEvent);
      pendingRequest.resolve(deleteMessageEvent);
    } else if ((pendingRequest === null || pendingRequest === void 0 ? void 0 : pendingRequest.type) != null) {
      this.logError(`found pending request of type "${pendingRequest === null || pendingRequest === void 0 ? void 0 : pendingRequest.type}" for request id ${deleteMessageEvent.requestId} but expected request of type "deleteMessage"`, deleteMessageEvent);
    }
  }
  handleDisconnectUserEvent(event) {
    let disconnectUserEvent;
    try {
      disconnectUserEvent = parseDisconnectUserEvent(event);
      this.logInfo("did receive disconnect user event", event);
    } catch (error) {
      this.logError("did fail to deserialize received disconnect user event", event, error);
      return;
    }
    this.dispatchEvent("userDisconnect", disconnectUserEvent);
    if (disconnectUserEvent.requestId == null) {
      return;
    }
    const pendingRequest = this.pendingRequests.get(disconnectUserEvent.requestId);
    this.pendingRequests.delete(disconnectUserEvent.requestId);
    if ((pendingRequest === null || pendingRequest === void 0 ? void 0 : pendingRequest.type) === "disconnectUser") {
      this.logDebug(`resolving disconnectUser promise`, disconnectUserEvent);
      pendingRequest.resolve(disconnectUserEvent);
    } else if ((pendingRequest === null || pendingRequest === void 0 ? void 0 : pendingRequest.type) != null) {
      this.logError(`found pending request of type "${pendingRequest === null || pendingRequest === void 0 ? void 0 : pendingRequest.type}" for request id ${disconnectUserEvent.requestId} but expected request of type "disconnectUser"`, disconnectUserEvent);
    }
  }
  receiveErrorJson(entity) {
    let error;
    try {
      error = parseChatError(entity);
      this.logError("received error", entity);
    } catch (e) {
      this.logError("did fail to deserialize received error", entity, e);
      return;
    }
    const isTokenExpired = error.errorCode === chatErrorCodes.unauthorized;
    if (error.requestId) {
      const pendingRequest = this.pendingRequests.get(error.requestId);
      this.pendingRequests.delete(error.requestId);
      if (pendingRequest) {
        this.logDebug(`rejecting ${pendingRequest.type} promise`, error);
        pendingRequest.reject(error);
      } else if (!isTokenExpired) {
        this.logError("received error without matching pending request", error);
      }
    }
    if (isTokenExpired) {
      this.logDebug("received token expiration error, reconnecting", error);
      Promise.resolve().then(() => this.reconnect());
    }
    if (error.requestId == null && !isTokenExpired) {
      this.logError("received error without matching pending request", error);
    }
  }
  logDebug(message, ...args) {
    if (this.logLevel === "debug") {
      this.logger.debug(`Room ${this.id} ${message}`, ...args);
    }
  }
  logInfo(message, ...args) {
    if (this.logLevel === "debug" || this.logLevel === "info") {
      this.logger.info(`Room ${this.id} ${message}`, ...args);
    }
  }
  logError(message, ...args) {
    this.logger.error(`Room ${this.id} ${message}`, ...args);
  }
};

// node_modules/amazon-ivs-chat-messaging/dist/esm/requests/SendMessageRequest.js
var SendMessageRequest = class {
  /**
   * Constructs a {@link SendMessageRequest } instance.
   *
   * @param content - Message to be sent
   * @param attributes - Key-value object for any additional data
   */
  constructor(content, attributes) {
    this.action = "SEND_MESSAGE";
    this.requestId = v4_default();
    this.content = content;
    this.attributes = attributes;
  }
};

// test/e2e/integ-probe/index.ts
var client = new import_client_ivschat.IvschatClient({});
async function handler(event) {
  const sent = event.content ?? "hello";
  const roomArn = process.env.ROOM_ARN;
  const room = new ChatRoom({
    regionOrUrl: process.env.AWS_REGION,
    tokenProvider: async () => {
      const token = await client.send(new import_client_ivschat.CreateChatTokenCommand({ roomIdentifier: roomArn, userId: "integ-probe", capabilities: ["SEND_MESSAGE"] }));
      return { token: token.token, tokenExpirationTime: token.tokenExpirationTime, sessionExpirationTime: token.sessionExpirationTime };
    }
  });
  room.logLevel = "error";
  try {
    await new Promise((resolve, reject) => {
      room.addListener("connect", () => resolve());
      room.addListener("disconnect", (reason) => reject(new Error(`could not connect: ${reason}`)));
      room.connect();
    });
    const message = await room.sendMessage(new SendMessageRequest(sent));
    return { sent, received: { content: message.content, attributes: message.attributes, userId: message.sender.userId } };
  } catch (e) {
    const error = e;
    return { sent, error: { code: error.errorCode ?? 0, message: error.errorMessage ?? error.message } };
  } finally {
    room.disconnect();
  }
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  handler
});
