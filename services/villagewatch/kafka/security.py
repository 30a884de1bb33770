"""How every Kafka client reaches the broker: SASL and TLS from the settings, one place for all three client
libraries (Faust, aiokafka, kafka-python), so no client is left on plaintext when the broker wants more.

With the defaults (`VILLAGEWATCH_KAFKA_SECURITY_PROTOCOL` empty, i.e. PLAINTEXT) every function here returns
nothing to add, and the clients are built as before.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

from villagewatch.settings import Settings


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """The TLS context of SSL and SASL_SSL: server certificate and host name verified against the system's CAs,
    or only against `VILLAGEWATCH_KAFKA_SSL_CAFILE` when set; a client certificate when CERTFILE is set.
    None for PLAINTEXT and SASL_PLAINTEXT."""
    protocol, _ = settings.kafka_security()
    if protocol not in ("SSL", "SASL_SSL"):
        return None
    cafile = str(Path(settings.kafka_ssl_cafile).expanduser()) if settings.kafka_ssl_cafile else None
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=cafile)
    if settings.kafka_ssl_certfile:
        keyfile = str(Path(settings.kafka_ssl_keyfile).expanduser()) if settings.kafka_ssl_keyfile else None
        context.load_cert_chain(str(Path(settings.kafka_ssl_certfile).expanduser()), keyfile)
    return context


def kafka_python_kwargs(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for kafka-python's KafkaConsumer, KafkaProducer and KafkaAdminClient."""
    protocol, mechanism = settings.kafka_security()
    if protocol == "PLAINTEXT":
        return {}
    kwargs: dict[str, Any] = {"security_protocol": protocol}
    context = ssl_context(settings)
    if context is not None:
        kwargs["ssl_context"] = context
    if mechanism is not None:
        kwargs |= {"sasl_mechanism": mechanism, "sasl_plain_username": settings.kafka_sasl_username,
                   "sasl_plain_password": settings.kafka_sasl_secret()}
    return kwargs


def aiokafka_kwargs(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for aiokafka's AIOKafkaProducer / AIOKafkaConsumer (ingest's own producer).

    The same names as kafka-python's: aiokafka takes TLS only as an SSLContext, which we build anyway."""
    return kafka_python_kwargs(settings)


def faust_credentials(settings: Settings) -> Any:
    """Faust's `broker_credentials`: SASLCredentials (with the TLS context for SASL_SSL), SSLCredentials for
    SSL, None for PLAINTEXT. Faust hands them to every aiokafka client it makes (consumer, producer, admin)."""
    import faust

    protocol, mechanism = settings.kafka_security()
    context = ssl_context(settings)
    if mechanism is not None:
        return faust.SASLCredentials(username=settings.kafka_sasl_username, password=settings.kafka_sasl_secret(),
                                     ssl_context=context, mechanism=mechanism)
    if context is not None:
        return faust.SSLCredentials(context)
    return None
