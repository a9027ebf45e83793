package multimodal.broker;

/** Points Log4j at the broker's own configuration unless the caller named one. */
final class BrokerLogging {
  static final String CONFIG = "multimodal-broker-log4j2.xml";
  private static final String PROPERTY = "log4j2.configurationFile";

  private BrokerLogging() {}

  /** Call first in main, before any Kafka class logs. */
  static void configure() {
    if (System.getProperty(PROPERTY) == null && System.getenv("LOG4J_CONFIGURATION_FILE") == null) {
      System.setProperty(PROPERTY, CONFIG);
    }
  }
}
