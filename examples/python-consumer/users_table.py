"""Follows eventfold's public topic users.integration.v1 and keeps a table of its users in a JSON file.

Every fact but UserErased carries the user's whole public profile after it (event-carried state), so the table is
the latest profile per user id; a UserErased fact leaves the user's id and nothing personal. Facts are applied only
when their sourceVersion is higher than the one the table holds, so a redelivered fact changes nothing: the table is
written first and the offsets committed after it (at-least-once), and a restart after a crash in between reapplies
some facts harmlessly. See docs/decisions/0017-public-integration-topic.md in eventfold for the contract.
"""

import argparse
import json
import os
import signal
import struct
import sys

from confluent_kafka import Consumer, KafkaException
from confluent_kafka.schema_registry import SchemaRegistryClient, topic_record_subject_name_strategy
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext


def parse_args():
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brokers", default=env("KAFKA_BROKERS", "127.0.0.1:9092"))
    parser.add_argument("--registry", default=env("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081/apis/ccompat/v7"))
    parser.add_argument("--topic", default=env("TOPIC", "users.integration.v1"))
    parser.add_argument("--group", default=env("GROUP_ID", "python-users-table"))
    parser.add_argument("--table", default=env("TABLE", "users.json"))
    return parser.parse_args()


def load_table(path):
    try:
        with open(path, encoding="utf-8") as file:
            return json.load(file)
    except FileNotFoundError:
        return {}


def save_table(path, table):
    # Written aside and renamed over the old table: a crash leaves the old table or the new one, never half of one.
    with open(f"{path}.tmp", "w", encoding="utf-8") as file:
        json.dump(table, file, indent=2, sort_keys=True)
        file.flush()
        os.fsync(file.fileno())
    os.replace(f"{path}.tmp", path)


def record_name(registry, value):
    # Confluent framing: magic byte 0, the writer's schema id (4 bytes, big-endian), then the Avro body. The
    # registry client caches the schema the deserializer has just fetched for the same id.
    _, schema_id = struct.unpack(">bI", value[:5])
    return json.loads(registry.get_schema(schema_id).schema_str)["name"]


def apply(table, name, fact):
    """Upserts the user a fact is about, unless the table already holds that version of the user or a later one."""
    user_id = str(fact["userId"])  # logicalType uuid: fastavro reads a uuid.UUID
    if table.get(user_id, {}).get("sourceVersion", -1) >= fact["sourceVersion"]:
        return
    if name == "UserErased":
        row = {"status": "erased"}  # and nothing personal: that is the point of the fact
    else:
        row = {field: fact[field] for field in ("name", "email", "locale", "status")}
        row["joinedAt"] = fact["joinedAt"].isoformat(timespec="milliseconds")
    table[user_id] = {"userId": user_id, "sourceVersion": fact["sourceVersion"], **row}


def reported_error(message):
    """Whether a message is an error: librdkafka reports most here and retries by itself; a fatal one ends it all."""
    error = message.error()
    if error is not None and error.fatal():
        raise KafkaException(error)
    if error is not None:
        print(f"kafka: {error}", file=sys.stderr, flush=True)
    return error is not None


def main():
    args = parse_args()
    registry = SchemaRegistryClient({"url": args.registry})
    # One subject per record type on this topic (TopicRecordNameStrategy): the writer's schema comes by its id.
    deserialize = AvroDeserializer(registry, conf={"subject.name.strategy": topic_record_subject_name_strategy})
    consumer = Consumer(
        {
            "bootstrap.servers": args.brokers,
            "group.id": args.group,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "isolation.level": "read_committed",
        }
    )
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    table = load_table(args.table)
    consumer.subscribe([args.topic])
    print(f"following {args.topic} into {args.table}", flush=True)
    try:
        while not stopping:
            messages = [m for m in consumer.consume(num_messages=500, timeout=1.0) if not reported_error(m)]
            for message in messages:
                context = SerializationContext(message.topic(), MessageField.VALUE)
                apply(table, record_name(registry, message.value()), deserialize(message.value(), context))
            if messages:
                save_table(args.table, table)
                consumer.commit(asynchronous=False)
    finally:
        consumer.close()
    print("stopped", flush=True)


if __name__ == "__main__":
    main()
