// Escaping of user text (reasoning steps, answers) for Graphviz labels, so that no label can
// break the DOT syntax or become an HTML-like label: quotes, backslashes, angle brackets and braces
// become character entities, which Graphviz turns back into the same characters when it draws.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace astro::graph {

// Text for a plain (escString) label: '&', '"', '\', '<', '>', '{', '}', '|' become entities
// (&amp; &quot; &lt; &gt; &#123; &#125; &#124;; a backslash &#92;&#92;, which Graphviz
// decodes to an escaped backslash), a newline becomes the centred line break
// "\n", other control characters a space, invalid UTF-8 bytes U+FFFD. At most `maxCharacters`
// characters of `text` are kept (0: no limit); a cut is marked with "...".
std::string escapeLabel(std::string_view text, std::size_t maxCharacters = 0);

// escapeLabel wrapped in double quotes: a complete DOT string token.
std::string quotedLabel(std::string_view text, std::size_t maxCharacters = 0);

}  // namespace astro::graph
