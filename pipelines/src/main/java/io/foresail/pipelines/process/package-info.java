/** Starting the repository's other JVMs (the simulator, the trader) from the CLI: their classpaths. */
package io.foresail.pipelines.process;
