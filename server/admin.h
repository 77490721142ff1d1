/*
 * `hearthd admin ...`: operator commands run against the same database as
 * a running server (sqlite's WAL lets both work at once).
 */
#ifndef HEARTH_ADMIN_H
#define HEARTH_ADMIN_H

int admin_main(int argc, char **argv);

#endif
