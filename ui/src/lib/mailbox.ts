// The app's one mailbox: the fetched list and the outbox every view shows, fetched on
// start and every few minutes (App.svelte starts it once the office's mailbox is set).
import { api, messageOf } from "./api";
import { MailBox } from "./mail.svelte";

export const mailbox = new MailBox(api, messageOf);
