"""Admins change the knowledge from their phone: /kennis sends the files; a .yaml or .zip sent
back is checked like ``validate --strict`` and previewed with "Toepassen" and "Annuleren"; in
/onbeantwoord a group's questions go to an entry in one tap, or become a draft to complete;
/versies and /terugzetten go back to an earlier version. Everything here is for admins in a
private chat (see :func:`bot.telegram.admin.admin_only`)."""

import asyncio
import secrets
import time
from html import escape
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from bot import messages
from bot.editing import (
    ChangeRefused,
    Proposal,
    Replaced,
    apply,
    building,
    propose,
    restoring,
    with_file,
    with_learned,
)
from bot.history import History, Version, listing, version_number, when
from bot.knowledge import shorten
from bot.loading import counted
from bot.reloading import beside_the_loop
from bot.review import Group, draft_entry
from bot.snapshots import (
    Files,
    SnapshotError,
    from_zip,
    name_problem,
    read_snapshot,
    to_zip,
    valid_name,
    why_not_writable,
)
from bot.telegram import callbacks
from bot.telegram.admin import (
    add_button,
    admin_only,
    find_group,
    refused,
    review_page,
)
from bot.telegram.context import Context
from bot.telegram.replying import change, rebutton, say, tapped
from bot.telegram.sending import acknowledge, persist, typing_if_slow
from bot.telegram.services import reload_knowledge

# Telegram lets bots download up to 20 MB; a knowledge is far smaller.
MAX_UPLOAD_BYTES = 2_000_000
NO_PROPOSAL = Proposal({}, "", "")
# Versions offered as buttons by /terugzetten.
OFFERED_VERSIONS = 5


def who(update: Update, context: Context) -> str:
    """How the history names the admin: the configured name, else a pseudonym."""
    data = context.bot_data
    user = update.effective_user
    user_id = user.id if user else 0
    return data.config.admin_names.get(user_id) or f"beheerder {data.pseudonyms.of(user_id)[:6]}"


def history(context: Context) -> History:
    """The knowledge's versions in the data directory."""
    return History(context.bot_data.config.history_dir)


def knowledge_dir(context: Context) -> Path:
    """The one directory the bot and every command read."""
    return context.bot_data.config.knowledge_dir


async def send_document(
    context: Context, anchor: Message, data: bytes, name: str, caption: str
) -> None:
    """A file as a document under ``anchor`` (retried like every reply)."""
    timings, stopping = context.bot_data.config.timings, context.bot_data.stopping
    await persist(
        lambda: anchor.reply_document(data, filename=name, caption=caption), timings, stopping
    )


# -- download and upload -----------------------------------------------------------------------


@admin_only
async def knowledge_command(update: Update, context: Context) -> None:
    """Admin: the knowledge files as one zip document."""
    message = update.effective_message
    assert message is not None
    directory = knowledge_dir(context)
    files = await asyncio.to_thread(read_snapshot, directory)
    version = await asyncio.to_thread(history(context).current, directory)
    described = counted(len(files), "bestand", "bestanden")
    if version is not None:
        described = f"versie {version.number}, {described}"
    caption = messages.KNOWLEDGE_CAPTION.format(files=described)
    reason = await asyncio.to_thread(why_not_writable, directory)
    if reason is not None:
        caption += "\n" + messages.KNOWLEDGE_READ_ONLY.format(reason=reason)
    name = f"werkplekbot-kennis-{time.strftime('%Y-%m-%d')}.zip"
    await send_document(context, message, to_zip(files), name, caption)


@admin_only
async def on_upload(update: Update, context: Context) -> None:
    """Admin: a knowledge file (.yaml) or a whole knowledge (.zip) sent as a document: checked
    and previewed; nothing changes before "Toepassen"."""
    message = update.effective_message
    assert message is not None and message.document is not None
    document = message.document
    name = document.file_name or ""
    if (document.file_size or 0) > MAX_UPLOAD_BYTES:
        await say(context, message, escape(messages.UPLOAD_TOO_BIG))
        return
    if not name.lower().endswith(".zip") and not valid_name(name):
        refusal = messages.UPLOAD_REFUSED.format(reason=messages.sentence(name_problem(name)))
        await say(context, message, escape(refusal))
        return
    try:
        file = await context.bot.get_file(document.file_id)
        data = bytes(await file.download_as_bytearray())
    except TelegramError:
        await say(context, message, escape(messages.UPLOAD_FAILED))
        return
    if len(data) > MAX_UPLOAD_BYTES:
        await say(context, message, escape(messages.UPLOAD_TOO_BIG))
        return
    directory = knowledge_dir(context)
    try:
        base, (files, title, notes) = await asyncio.to_thread(
            building, directory, lambda: uploaded_files(directory, name, data)
        )
    except SnapshotError as exc:
        refusal = messages.UPLOAD_REFUSED.format(reason=messages.sentence(str(exc)))
        await say(context, message, escape(refusal))
        return
    await preview(context, message, files, title, base, notes)


def uploaded_files(directory: Path, name: str, data: bytes) -> tuple[Files, str, tuple[str, ...]]:
    """The whole new knowledge an upload stands for, how to call it, and what the admin should
    know: a zip is the whole knowledge (a file left out of it is removed); one .yaml file adds
    or replaces that file, and the entries in it replace those with the same id or question
    elsewhere."""
    if name.lower().endswith(".zip"):
        files = from_zip(data)
        missing = sorted(read_snapshot(directory).keys() - files.keys())
        if not missing:
            return files, f"zip-bestand {name}", ()
        # In the title, so a refusal (whose problems may follow from it) says it too.
        title = f"zip-bestand {name}, zonder {', '.join(missing)}"
        return files, title, (messages.zip_leaves_out(missing),)
    files, replaced = with_file(directory, name, data)
    return files, f"bestand {name}", tuple(replacing(one) for one in replaced)


def replacing(one: Replaced) -> str:
    """A plain warning that an uploaded entry takes the place of one in another file."""
    kept = ""
    if one.was:
        kept = f" Ze houdt de naam '{one.entry_id}', zodat verwijzingen blijven werken."
    return (
        f"Let op: jouw “{one.question}” vervangt de vraag die al in {one.file} stond, met al "
        f"haar manieren van vragen en links.{kept} Wil je dat niet, druk dan op Annuleren."
    )


async def preview(
    context: Context,
    anchor: Message,
    files: Files,
    title: str,
    base: str,
    notes: tuple[str, ...] = (),
) -> None:
    """Check a change and show what it does, with "Toepassen" when it can be applied
    (``base``: the digest of the knowledge ``files`` were made from; ``notes``: what the admin
    should know, under the title)."""
    data = context.bot_data
    directory = knowledge_dir(context)
    async with typing_if_slow(anchor):
        with beside_the_loop():
            proposal = await asyncio.to_thread(
                propose, directory, files, title, data.core, base, notes
            )
        reason = await asyncio.to_thread(why_not_writable, directory)
    text = preview_html(proposal)
    markup = None
    if proposal.applicable and reason is not None:
        text += "\n\n" + escape(messages.KNOWLEDGE_READ_ONLY.format(reason=reason))
    elif proposal.applicable:
        key = secrets.token_hex(4)
        data.proposals.put(key, proposal)
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        messages.APPLY_BUTTON, callback_data=callbacks.apply(True, key)
                    ),
                    InlineKeyboardButton(
                        messages.CANCEL_BUTTON, callback_data=callbacks.apply(False, key)
                    ),
                ]
            ]
        )
        text += "\n" + escape(messages.APPLY_HINT)
    await say(context, anchor, text, markup)


def preview_html(proposal: Proposal) -> str:
    """A proposal's description as HTML: the title in bold, places to fix as code."""
    title, *rest = proposal.describe().split("\n")
    lines = [f"<b>{escape(title)}</b>"]
    for line in rest:
        where, colon, message = line.partition(": ")
        if colon and any(str(p).startswith(where + ":") for p in proposal.problems):
            lines.append(f"<code>{escape(where)}</code>: {escape(message)}")
        else:
            lines.append(escape(line))
    return "\n".join(lines)


async def on_apply(update: Update, context: Context) -> None:
    """Admin: "Toepassen" writes the previewed change and reloads (live for everyone within
    seconds); "Annuleren" drops it. Either way the preview keeps its text, without buttons."""
    if await refused(update, context):
        return
    query = update.callback_query
    assert query is not None and context.matches
    data = context.bot_data
    action, key = context.matches[0].group("action"), context.matches[0].group("key")
    message = tapped(update)
    proposal = data.proposals.get(key, NO_PROPOSAL)
    if proposal is NO_PROPOSAL:
        await acknowledge(query, messages.PROPOSAL_GONE)
        return
    data.proposals.pop(key)
    shown = preview_html(proposal)
    if action == "no":
        await acknowledge(query, messages.CANCELLED_TOAST)
        if message is not None:
            await conclude(context, message, shown, messages.CANCELLED)
        return
    await acknowledge(query, messages.CHECKING)
    author = who(update, context)
    try:
        version = await apply_change(context, proposal, author)
    except ChangeRefused as exc:
        outcome = messages.NOT_APPLIED.format(reason=messages.sentence(str(exc)))
    else:
        outcome = messages.APPLIED.format(who=author, version=version.number)
    if message is not None:
        await conclude(context, message, shown, outcome)


async def conclude(context: Context, message: Message, shown: str, outcome: str) -> None:
    """The preview with its outcome in place of its buttons; a preview too long to edit in
    one message loses its buttons and gets the outcome below it."""
    if await change(context, message, f"{shown}\n\n{escape(outcome)}") is None:
        await rebutton(context, message, None)
        await say(context, message, escape(outcome))


async def apply_change(context: Context, proposal: Proposal, author: str) -> Version:
    """Write a proposal and swap the knowledge for everyone; one change at a time."""
    data = context.bot_data
    async with data.change_lock:
        version = await asyncio.to_thread(
            apply, knowledge_dir(context), history(context), proposal, author
        )
        outcome = await reload_knowledge(context.application, data)
    if outcome.core is None:
        # Checked a moment ago, so only a hand edit in between gets here.
        raise ChangeRefused(outcome.summary())
    return version


# -- from /onbeantwoord -------------------------------------------------------------------------


async def pressed_group(
    update: Update, context: Context
) -> tuple[list[Group], int, Message] | None:
    """For an admin's tap on a review group's button: the groups, the pressed one's index and
    the message the button is under; None when refused (said so), when the group is gone
    (said so) or when the button is under no message."""
    if await refused(update, context):
        return None
    found = await find_group(update, context)
    message = tapped(update)
    if found is None or message is None:
        return None
    return (*found, message)


async def on_add(update: Update, context: Context) -> None:
    """Admin: a group's questions as alternates of an entry (in the learned file): checked
    and previewed like an upload."""
    pressed = await pressed_group(update, context)
    if pressed is None:
        return
    query = update.callback_query
    assert query is not None and context.matches
    groups, index, message = pressed
    group, entry_id = groups[index], context.matches[0].group("entry")
    knowledge = context.bot_data.core.knowledge
    entry = knowledge.by_id.get(entry_id)
    if entry is None:
        await acknowledge(query, messages.ENTRY_GONE_ADMIN)
        return
    await acknowledge(query, messages.CHECKING)
    questions = [text for text, _ in group.questions]
    directory = knowledge_dir(context)
    try:
        base, files = await asyncio.to_thread(
            building, directory, lambda: with_learned(directory, entry_id, questions, knowledge)
        )
    except ChangeRefused as exc:
        await say(context, message, escape(messages.sentence(str(exc))))
        return
    count = counted(len(questions), "vraag", "vragen")
    title = f"{count} toevoegen aan “{entry.short_label}”"
    they = "deze vraag stelt" if len(questions) == 1 else "een van deze vragen stelt"
    note = f"Wie {they}, krijgt dan dit antwoord: “{shorten(' '.join(entry.answer.split()), 160)}”"
    await preview(context, message, files, title, base, (note,))


async def on_add_elsewhere(update: Update, context: Context) -> None:
    """Admin: the other entries a group could go to, in place of the review page's buttons."""
    pressed = await pressed_group(update, context)
    if pressed is None:
        return
    assert update.callback_query is not None
    await acknowledge(update.callback_query)
    groups, index, message = pressed
    group = groups[index]
    knowledge = context.bot_data.core.knowledge
    rows = [
        [add_button(group, i, knowledge.by_id[i].short_label, messages.ADD_SHORT_BUTTON)]
        for i in group.candidates
        if i in knowledge.by_id
    ]
    rows.append(
        [
            InlineKeyboardButton(messages.DRAFT_BUTTON, callback_data=callbacks.draft(group.key)),
            InlineKeyboardButton(messages.BACK_BUTTON, callback_data=callbacks.review_page(index)),
        ]
    )
    text, _ = review_page(groups, index, context)
    await change(
        context, message, f"{text}\n\n{escape(messages.ADD_WHERE)}", InlineKeyboardMarkup(rows)
    )


async def on_draft(update: Update, context: Context) -> None:
    """Admin: a group as a new entry to complete, sent as a knowledge file."""
    pressed = await pressed_group(update, context)
    if pressed is None:
        return
    assert update.callback_query is not None
    await acknowledge(update.callback_query)
    groups, index, message = pressed
    name, text = draft_entry(groups[index], context.bot_data.core.knowledge)
    await send_document(context, message, text.encode("utf-8"), name, messages.DRAFT_CAPTION)


# -- versions ----------------------------------------------------------------------------------


def versions_html(versions: list[Version], current: Version | None) -> str:
    """The versions, newest first, the one in use marked."""
    lines = [escape(line) for line in listing(versions, current)]
    return "\n".join([f"<b>{escape(messages.VERSIONS_TITLE)}</b>", *lines])


@admin_only
async def versions_command(update: Update, context: Context) -> None:
    """Admin: the last versions of the knowledge: when, who, what changed."""
    message = update.effective_message
    assert message is not None
    kept = history(context)
    versions = await asyncio.to_thread(kept.versions)
    if not versions:
        await say(context, message, escape(messages.VERSIONS_EMPTY))
        return
    current = await asyncio.to_thread(kept.current, knowledge_dir(context))
    text = versions_html(versions, current)
    await say(context, message, f"{text}\n\n{escape(messages.VERSIONS_HINT)}")


@admin_only
async def restore_command(update: Update, context: Context) -> None:
    """Admin: /terugzetten N goes back to version N; without a number, a choice of the last
    versions."""
    message = update.effective_message
    assert message is not None
    number = version_number(context.args[0]) if context.args else None
    if number is not None:
        await restore(update, context, message, number)
        return
    intro = ""
    if context.args:
        # "/terugzetten abc": say so, then the versions there are.
        intro = escape(messages.RESTORE_NOT_A_NUMBER.format(text=" ".join(context.args))) + "\n\n"
    kept = history(context)
    versions = await asyncio.to_thread(kept.versions)
    current = await asyncio.to_thread(kept.current, knowledge_dir(context))
    earlier = [v for v in versions if current is None or v.number != current.number]
    if not earlier:
        await say(context, message, intro + escape(messages.RESTORE_NONE))
        return
    offered = earlier[:OFFERED_VERSIONS]
    rows = [
        [
            InlineKeyboardButton(
                f"↩️ Versie {v.number} · {when(v)}", callback_data=callbacks.restore(v.number)
            )
        ]
        for v in offered
    ]
    text = versions_html(versions, current)
    await say(
        context,
        message,
        f"{intro}{text}\n\n{escape(messages.RESTORE_TITLE)}",
        InlineKeyboardMarkup(rows),
    )


async def on_restore(update: Update, context: Context) -> None:
    """Admin: go back to the chosen version (the choice is the confirmation: going back is
    itself a version, so it can be undone the same way)."""
    if await refused(update, context):
        return
    assert update.callback_query is not None and context.matches
    message = tapped(update)
    await acknowledge(update.callback_query, messages.CHECKING)
    if message is None:
        return
    await rebutton(context, message, None)
    await restore(update, context, message, int(context.matches[0].group("version")))


async def restore(update: Update, context: Context, anchor: Message, number: int) -> None:
    """Check a kept version like any change and make it the knowledge; say what changed."""
    try:
        with beside_the_loop():
            proposal = await asyncio.to_thread(
                restoring, knowledge_dir(context), history(context), number, context.bot_data.core
            )
        if not proposal.applicable:
            await say(context, anchor, preview_html(proposal))
            return
        version = await apply_change(context, proposal, who(update, context))
    except ChangeRefused as exc:
        await say(context, anchor, escape(messages.sentence(str(exc))))
        return
    await say(context, anchor, escape(messages.restored(number, version, proposal)))
