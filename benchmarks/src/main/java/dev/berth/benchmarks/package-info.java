/** JMH benchmarks of berth's core, run by bin/bench and reported in the README. */
package dev.berth.benchmarks;
