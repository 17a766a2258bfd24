/** Fixtures shared by the pipelines tests: synthetic markets generated once and reused. */
package io.foresail.pipelines.testing;
