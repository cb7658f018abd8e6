/**
 * How long a group member's fetch waits at the broker for records when it has none to take (kafkajs's
 * `maxWaitTimeInMs`). It costs no latency: the broker answers as soon as a record (a committed one, under
 * read_committed) is there. It is only the rate at which an idle member asks again: at 50 ms, each of the
 * stack's five consumer groups sent 20 empty fetches a second, which kept Kafka at 17 % of a core and each idle
 * service at 5–8 % with no command at all. A longer wait would delay nothing either, but kafkajs heartbeats
 * between fetches, and the heartbeat interval is a tenth of the session timeout (1 s by default).
 */
export const IDLE_FETCH_WAIT_MS = 500;

/**
 * A reader that seeks and resumes a paused partition (a restore) waits for the fetch already at the broker
 * before the resumed partition is asked for: that wait is the reader's latency, so it stays short.
 */
export const READER_FETCH_WAIT_MS = 50;
