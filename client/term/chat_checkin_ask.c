/*
 * /checkin on a terminal: one question at a time, in the prompt. The mood
 * (1-5) is the one answer needed; Enter skips each of the others (a
 * craving 0-10, the warning signs, picked from the server's numbered list
 * by numbers or names, what one is grateful for, the day's win, a note
 * only the member sees). "cancel" or Ctrl-C stops without sending. A
 * command typed meanwhile (/sos, /help-now) runs as usual and the
 * question stays. An answer that cannot be used is asked again, kindly.
 *
 * Over a pipe there is nobody to ask: /checkin alone refuses there
 * (chat_checkin.c) and points to the one-line form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"

enum { Q_MOOD = 0, Q_CRAVING, Q_SIGNS, Q_GRATEFUL, Q_WIN, Q_NOTE, Q__N };

struct ci_ask {
    unsigned step;
    struct ci_args a;
};

static const char *const prompts[Q__N] = {
    [Q_MOOD] = "Mood, 1 (very low) to 5 (very good): ",
    [Q_CRAVING] = "Craving, 0 (none) to 10 (strongest), Enter to skip: ",
    [Q_SIGNS] = "Warning signs you notice (numbers or names, e.g. 1,6), Enter for none: ",
    [Q_GRATEFUL] = "Grateful for (Enter to skip): ",
    [Q_WIN] = "Win of the day (Enter to skip): ",
    [Q_NOTE] = "A note just for you, never shared (Enter to skip): ",
};

void chat_checkin_ask_free(struct chat *ch)
{
    if (!ch->ask)
        return;
    ci_args_free(&ch->ask->a);
    free(ch->ask);
    ch->ask = NULL;
    if (!ch->quitting)
        chat_update_prompt(ch);
}

bool chat_checkin_prompt(const struct chat *ch, char *out, size_t n)
{
    if (!ch->ask)
        return false;
    snprintf(out, n, "%s", prompts[ch->ask->step]);
    return true;
}

bool chat_checkin_cancel(struct chat *ch)
{
    if (!ch->ask)
        return false;
    chat_checkin_ask_free(ch);
    ui_line(UI_DIM, "Check-in stopped; nothing was sent. /checkin whenever you are ready.");
    return true;
}

/* All asked: sent as one check-in. */
static void finish(struct chat *ch)
{
    struct ci_ask *ask = ch->ask;
    ch->ask = NULL;
    chat_update_prompt(ch);
    chat_checkin_submit(chat_op_new(ch, NULL), &ask->a);
    ci_args_free(&ask->a);
    free(ask);
}

/* Moves on to question `step` (the signs only when the server lists some). */
static void ask_step(struct chat *ch, unsigned step)
{
    if (step == Q_SIGNS && ch->nsigns == 0)
        step++;
    if (step == Q__N) {
        finish(ch);
        return;
    }
    ch->ask->step = step;
    if (step == Q_SIGNS)
        chat_print_text(ci_signs_menu(ch->signs, ch->nsigns));
    chat_update_prompt(ch);
}

void chat_checkin_ask(struct chat *ch)
{
    if (ch->ask || !(ch->ask = calloc(1, sizeof *ch->ask)))
        return;
    ch->ask->a.craving = -1;
    ui_line(UI_NOTICE, "Checking in. Enter skips a question (all but the mood); cancel stops.");
    ask_step(ch, Q_MOOD);
}

/* The signs typed, kept as typed once they can be picked; false after
 * saying what could not. */
static bool take_signs(struct chat *ch, const char *text)
{
    struct ci_signs picked;
    char bad[48];
    enum ci_parse rc = ci_pick_signs(text, ch->signs, ch->nsigns, &picked, bad);
    if (rc == CI_OK)
        rc = ci_take(text, text + strlen(text), CI_SIGNS_TEXT_MAX, &ch->ask->a.signs);
    if (rc == CI_BAD_SIGN)
        chat_print_lines(UI_DIM, UI_PLAIN, ci_bad_sign_text(bad, ch->signs, ch->nsigns));
    else if (rc != CI_OK)
        ui_line(UI_DIM, "%s", ci_parse_error(rc, false));
    return rc == CI_OK;
}

/* The answer to the question under way: true when it can be used. */
static bool take(struct chat *ch, const char *text)
{
    struct ci_args *a = &ch->ask->a;
    char **words[Q__N] = {[Q_GRATEFUL] = &a->grateful, [Q_WIN] = &a->win, [Q_NOTE] = &a->note};
    switch (ch->ask->step) {
    case Q_MOOD:
        if (ci_parse_mood(text, &a->mood))
            return true;
        ui_line(UI_DIM, "Your mood is a number from 1 (very low) to 5 (very good): the one "
                        "question that needs an answer (cancel stops).");
        return false;
    case Q_CRAVING:
        if (!*text || ci_parse_craving(text, &a->craving))
            return true;
        ui_line(UI_DIM, "A craving is a number from 0 (none) to 10 (the strongest); Enter "
                        "skips it.");
        return false;
    case Q_SIGNS:
        return take_signs(ch, text);
    default:
        if (ci_take(text, text + strlen(text), PROTO_CHECKIN_TEXT_MAX,
                    words[ch->ask->step]) == CI_OK)
            return true;
        ui_line(UI_DIM, "That is more than 500 characters: a shorter one, please (Enter "
                        "skips it).");
        return false;
    }
}

bool chat_checkin_answer(struct chat *ch, char *line)
{
    const char *p = cmd_skip_blanks(line), *rest = p;
    char word[8];
    bool cancel = cmd_next_word(&rest, word, sizeof word) && !*cmd_skip_blanks(rest) &&
                  (cmd_word_is(word, "cancel") || cmd_word_is(word, "/cancel"));
    if (!cancel && p[0] == '/' && p[1] != '/')
        return false;   /* a command: it runs, the question stays */
    if (cancel)
        chat_checkin_cancel(ch);
    else if (take(ch, p[0] == '/' ? p + 1 : p))
        ask_step(ch, ch->ask->step + 1);
    free(line);
    return true;
}
