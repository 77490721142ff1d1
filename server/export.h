/*
 * account.export: everything Hearth holds about the member, as one JSON
 * document ("hearth-export-1", built by the database in one statement)
 * handed out in parts of at most PROTO_EXPORT_PART_MAX bytes, never cut
 * inside a character.
 *
 * The first request (no export id) builds the document and answers part 0
 * with a new random id; later requests name the id and a part. A session
 * keeps at most one export (a new one replaces it), readable only through
 * that session, until the session ends or EXPORT_KEEP_MS pass on the
 * server clock. The document is never logged.
 */
#ifndef HEARTH_EXPORT_H
#define HEARTH_EXPORT_H

#include "hproto.h"

#define EXPORT_KEEP_MS (10LL * 60 * 1000)

struct session;

void export_handle(struct session *s, const struct proto_request *req);
/* Frees the session's export, if any. Called when the session ends;
 * without it an export would stay in memory until its timer fired. */
void export_forget_session(struct session *s);

#endif
