// `astro`: the command-line interface and headless worker of Astro Studio.
// Exit codes: 0 ok, 1 the command failed, 2 bad usage. Errors go to stderr as one line.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string_view>

#include "app/astro/command_registry.h"
#include "core/base/blas_kernels.h"
#include "core/base/error.h"
#include "core/plugin/plugin_loader.h"

namespace {

// One stderr line per refused plugin, so a user whose domain is missing learns why; `astro
// plugins` itself reports them in full.
void warnAboutRefusedPlugins(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "plugins") return;
  }
  for (const astro::plugin::PluginRecord& record : astro::plugin::pluginReport()) {
    if (record.loaded) continue;
    std::cerr << "astro: warning: plugin " << record.path.string()
              << " was refused: " << record.refusal << " (astro plugins lists every plugin)\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  astro::restartWithFastBlasKernels(argv);
  // Before the commands are added: their --help and --verifier choices list the plugins' domains.
  // A bad plugin is refused and reported by `astro plugins`, never fatal.
  astro::plugin::loadPlugins();
  warnAboutRefusedPlugins(argc, argv);
  CLI::App app{
      "astro: Astro Studio's command line and headless worker.\n"
      "Runs the ASTRO pipeline (MCTS search, procedure cloning, SFT, GRPO, evaluation) and\n"
      "inspects its runs. Every subcommand has --help."};
  app.set_version_flag("--version", std::string("astro ") + ASTRO_VERSION);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--workspace", astro::cli::globalOptions().workspace,
                 "Workspace folder (default: $ASTRO_WORKSPACE or $XDG_DATA_HOME/astro-studio)");
  astro::cli::addRegisteredCommands(app);

  try {
    astro::cli::rejectUnknownCommand(app, argc, argv);
    app.parse(argc, argv);
    return 0;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "astro: usage error: " << e.what() << " (see astro --help)\n";
    return 2;
  } catch (const astro::UsageError& e) {
    std::cerr << "astro: usage error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "astro: error: " << e.what() << "\n";
    return 1;
  }
}
