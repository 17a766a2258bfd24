/**
 * Inference on the live path: the promoted model held, hot-swapped and served for a whole universe
 * per bar close. {@link io.foresail.inference.ChampionWatcher} resolves, verifies, loads, checks and
 * warms a registered version before swapping it in; {@link io.foresail.inference.ChampionPredictor}
 * turns the feature engine's frames into one score per symbol, naming the version that made them.
 * No Spark, no Hadoop, no training stack: the build enforces it.
 */
package io.foresail.inference;
