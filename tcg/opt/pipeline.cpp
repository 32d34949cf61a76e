// SPDX-License-Identifier: Apache-2.0
// The optimisation pipeline, written out in one place.
#include "tcg/opt/passes.h"

namespace presil::tcg::opt {

void run_pipeline(Block& b, const PipelineOptions& opts) {
  if (opts.verify) verify_or_throw(b);
  if (opts.optimize) {
    fold_constants(b);
    eliminate_dead_code(b);
    if (opts.verify) verify_or_throw(b);
  }
}

}  // namespace presil::tcg::opt
