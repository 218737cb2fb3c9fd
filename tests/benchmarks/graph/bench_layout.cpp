// Layout time of search trees of 200, 2,000 and 20,000 nodes: our layoutTree (Graphviz dot
// through cgraph/gvc, and the built-in tidy layout) against `/usr/bin/dot -Tsvg` on the same DOT
// file. Usage: bench_layout [--runs N] [--skip-dot-above NODES]. Prints median wall times.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "core/graph/graph_export.h"
#include "core/graph/tree_layout.h"
#include "tests/graph/random_tree.h"

namespace {

double secondsOf(const std::function<void()>& work) {
  auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// Runs /usr/bin/dot -Tsvg on `dotFile` (fork + exec, no shell); throws on failure.
void runDotProgram(const std::string& dotFile, const std::string& svgFile) {
  pid_t child = fork();
  if (child == 0) {
    execl("/usr/bin/dot", "dot", "-Tsvg", dotFile.c_str(), "-o", svgFile.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "/usr/bin/dot failed on %s\n", dotFile.c_str());
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 3;
  int skipDotAbove = 1000000;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
    if (flag == "--skip-dot-above") skipDotAbove = std::atoi(argv[i + 1]);
  }
  auto folder =
      std::filesystem::temp_directory_path() / ("bench_layout_" + std::to_string(getpid()));
  std::filesystem::create_directories(folder);
  std::printf("%-8s %-42s %12s %12s %8s\n", "nodes", "metric", "ours_s", "dot_-Tsvg_s", "ratio");
  for (int nodes : {200, 2000, 20000}) {
    auto tree = astro::test::randomTree(nodes);
    astro::graph::TreeDotOptions dotOptions{.nodeLimit = 0};
    std::string dotFile = (folder / ("tree" + std::to_string(nodes) + ".dot")).string();
    std::ofstream(dotFile) << astro::graph::treeToDot(tree, dotOptions).text;
    // Runs at 20,000 nodes take minutes with dot: one run there.
    int repeats = nodes >= 20000 ? 1 : runs;
    bool withDot = nodes <= skipDotAbove;

    std::vector<double> peer, dotLayout, dotSvg, tidy;
    for (int r = 0; r < repeats && withDot; ++r) {
      peer.push_back(secondsOf([&] { runDotProgram(dotFile, dotFile + ".svg"); }));
      dotLayout.push_back(secondsOf([&] {
        astro::graph::layoutTree(tree,
                                 {.dot = dotOptions, .engine = astro::graph::LayoutEngine::kDot});
      }));
      dotSvg.push_back(secondsOf(
          [&] { astro::graph::renderTree(tree, astro::graph::ExportFormat::kSvg, dotOptions); }));
    }
    for (int r = 0; r < std::max(3, repeats); ++r) {
      tidy.push_back(secondsOf([&] {
        astro::graph::layoutTree(tree,
                                 {.dot = dotOptions, .engine = astro::graph::LayoutEngine::kTidy});
      }));
    }
    double peerSeconds = withDot ? median(peer) : 0.0;
    auto row = [&](const char* metric, double ours) {
      if (withDot) {
        std::printf("%-8d %-42s %12.4f %12.4f %8.3f\n", nodes, metric, ours, peerSeconds,
                    ours / peerSeconds);
      } else {
        std::printf("%-8d %-42s %12.4f %12s %8s\n", nodes, metric, ours, "skipped", "-");
      }
    };
    if (withDot) {
      row("layoutTree engine=dot (coordinates)", median(dotLayout));
      row("renderTree svg (dot layout + gvRender)", median(dotSvg));
    }
    row("layoutTree engine=tidy (coordinates)", median(tidy));
    std::fflush(stdout);
  }
  std::filesystem::remove_all(folder);
  std::printf(
      "median of %d runs (1 run at 20,000 nodes); peer: /usr/bin/dot -Tsvg FILE -o OUT "
      "(parse + layout + SVG)\n",
      runs);
  return 0;
}
