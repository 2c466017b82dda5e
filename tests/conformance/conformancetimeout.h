// SPDX-License-Identifier: MIT
#pragma once

namespace Reservo::Conformance {

// Every wait in these tests is bounded by this many milliseconds: generous, because CI runs
// them on two shared cores.
inline constexpr int Timeout = 10000;

} // namespace Reservo::Conformance
