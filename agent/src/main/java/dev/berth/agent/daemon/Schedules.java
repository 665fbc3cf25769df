package dev.berth.agent.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;

/**
 * The agent's clock work, on Quartz: the poll every {@code interval} and the full resync every
 * {@code resyncInterval}, each starting at a random phase so that a fleet does not poll its Git
 * server in step; and one-shot retries when a failed container's backoff ends. Each only triggers a
 * pass.
 */
public final class Schedules implements AutoCloseable {
  private static final TriggerKey RETRY = TriggerKey.triggerKey("retry", "berth");

  private final Scheduler scheduler;
  private final Agent agent;

  /** Runs the trigger it was given. */
  public static final class TriggerJob implements Job {
    @Override
    public void execute(JobExecutionContext context) {
      JobDataMap data = context.getMergedJobDataMap();
      ((Agent) data.get("agent")).triggerReconcile(data.getString("reason"));
    }
  }

  public Schedules(Agent agent, Duration interval, Duration resyncInterval)
      throws SchedulerException {
    this.agent = agent;
    Properties properties = new Properties();
    properties.setProperty(
        "org.quartz.scheduler.instanceName", "berth-" + ProcessHandle.current().pid());
    properties.setProperty("org.quartz.threadPool.threadCount", "1");
    properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    this.scheduler = new StdSchedulerFactory(properties).getScheduler();
    every("poll", interval);
    every("resync", resyncInterval);
  }

  /**
   * Every {@code period}, from a phase drawn over the whole period: agents that start together (a
   * fleet rebooted, a package upgraded) then spread their polls, and the Git server's fetch burst
   * after a push, over the interval instead of meeting in a tenth of it (docs/fleet-scale.md). The
   * agent's first pass runs at once anyway.
   */
  private void every(String reason, Duration period) throws SchedulerException {
    long phase = ThreadLocalRandom.current().nextLong(Math.max(1, period.toMillis()));
    JobDetail job = job(reason);
    Trigger trigger =
        TriggerBuilder.newTrigger()
            .withIdentity(reason, "berth")
            .startAt(Date.from(Instant.now().plusMillis(1 + phase)))
            .withSchedule(
                SimpleScheduleBuilder.simpleSchedule()
                    .withIntervalInMilliseconds(period.toMillis())
                    .repeatForever()
                    .withMisfireHandlingInstructionNextWithRemainingCount())
            .build();
    scheduler.scheduleJob(job, trigger);
  }

  private JobDetail job(String reason) {
    JobDataMap data = new JobDataMap();
    data.put("agent", agent);
    data.put("reason", reason);
    return JobBuilder.newJob(TriggerJob.class)
        .withIdentity(reason, "berth")
        .usingJobData(data)
        .storeDurably()
        .build();
  }

  /** A pass at {@code when}, replacing any retry scheduled before. */
  public void retryAt(Instant when) throws SchedulerException {
    scheduler.unscheduleJob(RETRY);
    if (!scheduler.checkExists(
        JobBuilder.newJob(TriggerJob.class).withIdentity("retry", "berth").build().getKey())) {
      scheduler.addJob(job("retry"), false);
    }
    scheduler.scheduleJob(
        TriggerBuilder.newTrigger()
            .withIdentity(RETRY)
            .forJob("retry", "berth")
            .startAt(Date.from(when))
            .build());
  }

  public void start() throws SchedulerException {
    scheduler.start();
  }

  @Override
  public void close() throws SchedulerException {
    scheduler.shutdown(true);
  }
}
