/*
 * The network layer: libwebsockets on our libuv loop (ENGINEERING.md s.3).
 * It serves the web root and /healthz over HTTP, upgrades /ws with the
 * hearth.v1 subprotocol, enforces the transport rules (frame size, UTF-8,
 * Origin, connections per address), turns sockets into sessions and
 * implements the fan-out transport (one frame per writeable callback,
 * everything pending batched into it).
 */
#ifndef HEARTH_NET_H
#define HEARTH_NET_H

struct server;
struct net;

/* Creates the lws context and the listening vhost. Returns NULL (and logs
 * why) when the address cannot be bound or TLS cannot be set up. */
struct net *net_start(struct server *srv);
int net_port(const struct net *n);
/* First phase of shutdown, from a uv callback: closes every connection. */
void net_begin_close(struct net *n);
/* Second phase, after uv_run has returned: frees the context. */
void net_free(struct net *n);

#endif
