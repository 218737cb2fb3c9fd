# Turns one program's --help (or --help-all) text into a man page (roff, man macros), so the man
# pages are made from the programs themselves and cannot drift from them. Reads CLI11's layout
# (`astro`) and QCommandLineParser's (`astro-studio`): description lines, a "Usage:" line,
# "Section:" headers, entries "  SPEC  description" with continuation lines indented further, and
# for --help-all the nested subcommands as a name at column 0 followed by an indented block.
# Variables: name (page name, e.g. astro-hosts), program (e.g. "astro hosts"), version, see_also
# (space-separated page names for SEE ALSO).
#   awk -v name=astro-run -v program="astro run" -v version=0.1.0 -f help_to_roff.awk help.txt

function roff(text) {
  gsub(/\\/, "\\e", text)
  gsub(/-/, "\\-", text)
  if (text ~ /^[.']/) text = "\\&" text
  return text
}

function indentOf(line) {
  match(line, /^ */)
  return RLENGTH
}

function trim(text) {
  sub(/^ +/, "", text)
  sub(/ +$/, "", text)
  return text
}

# The description paragraph collected so far (before the first section) becomes NAME's text.
function flushDescription() {
  if (description == "") return
  if (!named) {
    summary = description
    sub("^" name ": ", "", summary)
    sub(/\. .*/, "", summary)
    sub(/\.$/, "", summary)
    print ".SH NAME"
    print roff(name) " \\- " roff(summary)
    named = 1
    if (usage != "") { print ".SH SYNOPSIS"; print ".B " roff(usage) }
    print ".SH DESCRIPTION"
  }
  print ".PP"
  print roff(description)
  description = ""
}

function startEntry(line, indent,   gap) {
  entryIndent = indent
  line = trim(line)
  if (match(line, /  +/)) {
    spec = substr(line, 1, RSTART - 1)
    text = substr(line, RSTART + RLENGTH)
  } else {
    spec = line
    text = ""
  }
  print ".TP"
  print "\\fB" roff(spec) "\\fR"
  if (text != "") print roff(text)
}

BEGIN {
  print ".\\\" Generated from the help text of `" program "` by packaging/help_to_roff.awk; do not edit."
  print ".TH " toupper(roff(name)) " 1 \"\" \"Astro Studio " version "\" \"Astro Studio manual\""
  entryIndent = -1
}

/^Usage: / {
  # The usage line names the program by its path and repeats the subcommand: "astro hosts ...".
  usage = $0
  sub(/^Usage: +[^ ]*/, "", usage)
  count = split(program, words, " ")
  for (i = 2; i <= count; i++) sub("^ " words[i], "", usage)
  usage = program usage
  next
}

/^ *$/ { inEntries = 0; next }

# A section header ("Options:", "  Positionals:").
/^ *[A-Z][A-Za-z ]*:$/ {
  flushDescription()
  header = trim($0)
  sub(/:$/, "", header)
  if (indentOf($0) == 0) print ".SH " toupper(header)
  else print ".PP\n\\fI" header "\\fR"
  inEntries = 1
  entryIndent = -1
  next
}

# A nested subcommand of --help-all: its name alone at column 0.
/^[a-z][a-z0-9-]*$/ && named {
  print ".SS \"" roff(program " " $0) "\""
  inEntries = 0
  next
}

{
  indent = indentOf($0)
  if (!inEntries) {
    if (!named) description = description (description == "" ? "" : " ") trim($0)
    else print roff(trim($0))
  } else if (entryIndent < 0 || indent < entryIndent + 6) {
    startEntry($0, indent)
  } else {
    print roff(trim($0))
  }
}

END {
  if (!named) flushDescription()
  if (see_also != "") {
    print ".SH SEE ALSO"
    count = split(see_also, pages, " ")
    for (i = 1; i <= count; i++) print "\\fB" roff(pages[i]) "\\fR(1)" (i < count ? "," : "")
  }
}
