// OpenBLAS kernel selection (core/base/blas_kernels.h): the core name is read from the loaded
// OpenBLAS, and a process started with OPENBLAS_CORETYPE runs those kernels with nothing to fix.
#include "core/base/blas_kernels.h"

#include <QtTest>
#include <cstdlib>

#include "core/model/runtime.h"

class BlasKernelsTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void coreName_isOpenBlasOwn_andTheRequestedCoreIsUsed() {
    astro::model::initTorchRuntime(1);  // loads libtorch and with it the system BLAS
    if (astro::model::runtimeInfo().blasLibrary.find("openblas") == std::string::npos) {
      QSKIP("libtorch does not use OpenBLAS here (install libopenblas0-openmp)");
    }
    const std::string core = astro::openBlasCoreName();
    QVERIFY2(!core.empty(), "openblas_get_corename not found in the loaded OpenBLAS");
    const char* requested = std::getenv("OPENBLAS_CORETYPE");
    if (requested == nullptr || *requested == '\0') {
      QSKIP("OPENBLAS_CORETYPE unset (scripts/test.sh sets it on AVX2 CPUs)");
    }
    QCOMPARE(QString::fromStdString(core).toLower(), QString(requested).toLower());
    // A core chosen by scripts/blas-core.sh (Haswell or SkylakeX) leaves nothing to fix.
    QCOMPARE(astro::betterOpenBlasCore(), std::string());
  }
};

QTEST_GUILESS_MAIN(BlasKernelsTest)
#include "blas_kernels_test.moc"
