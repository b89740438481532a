package org.registryaudit.broker;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Objects;

import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapterInternalException;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.ra.ActiveMQResourceAdapter;

/**
 * The Artemis resource adapter, plus an embedded broker when the adapter is configured with the
 * in-VM connector (the zero-setup default). Pointed at a standalone broker (Netty connector), it is
 * the plain Artemis adapter.
 */
public class EmbeddedBrokerResourceAdapter extends ActiveMQResourceAdapter {

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(EmbeddedBrokerResourceAdapter.class.getName());
    private static final String IN_VM = "InVMConnectorFactory";

    private String brokerDataDirectory = "";
    private Integer maxDeliveryAttempts = 100;
    private transient EmbeddedActiveMQ broker;

    @Override
    public void start(BootstrapContext context) throws ResourceAdapterInternalException {
        if (getConnectorClassName() != null && getConnectorClassName().contains(IN_VM)) {
            startEmbeddedBroker();
        }
        super.start(context);
    }

    @Override
    public void stop() {
        super.stop();
        if (broker != null) {
            try {
                broker.stop();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "Embedded broker did not stop cleanly", e);
            }
            broker = null;
        }
    }

    private void startEmbeddedBroker() throws ResourceAdapterInternalException {
        Path dir = dataDirectory();
        // Messages whose transaction rolled back (a database outage, say) are retried with a growing
        // delay for about an hour and a half before they go to DLQ, so an outage never loses them.
        AddressSettings everyAddress = new AddressSettings()
                .setDeadLetterAddress(SimpleString.of("DLQ"))
                .setExpiryAddress(SimpleString.of("ExpiryQueue"))
                .setMaxDeliveryAttempts(maxDeliveryAttempts)
                .setRedeliveryDelay(1000)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(60_000)
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true);
        Configuration config = new ConfigurationImpl()
                .setName("registry-audit-embedded")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
                .addAddressSetting("#", everyAddress)
                .addQueueConfiguration(QueueConfiguration.of("DLQ").setRoutingType(RoutingType.ANYCAST))
                .addQueueConfiguration(QueueConfiguration.of("ExpiryQueue").setRoutingType(RoutingType.ANYCAST));
        try {
            config.addAcceptorConfiguration("in-vm", "vm://0");
            broker = new EmbeddedActiveMQ().setConfiguration(config).start();
            LOG.log(System.Logger.Level.INFO, "Embedded Artemis broker started, journal in {0}", dir);
        } catch (Exception e) {
            throw new ResourceAdapterInternalException("Cannot start the embedded Artemis broker in " + dir, e);
        }
    }

    private Path dataDirectory() {
        if (brokerDataDirectory != null && !brokerDataDirectory.isBlank()) {
            return Paths.get(brokerDataDirectory);
        }
        String root = System.getProperty(
                "com.sun.aas.instanceRoot",
                System.getProperty("jboss.server.data.dir", System.getProperty("java.io.tmpdir")));
        return Paths.get(root, "broker");
    }

    public String getBrokerDataDirectory() {
        return brokerDataDirectory;
    }

    public void setBrokerDataDirectory(String brokerDataDirectory) {
        this.brokerDataDirectory = brokerDataDirectory;
    }

    public Integer getMaxDeliveryAttempts() {
        return maxDeliveryAttempts;
    }

    public void setMaxDeliveryAttempts(Integer maxDeliveryAttempts) {
        this.maxDeliveryAttempts = maxDeliveryAttempts;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EmbeddedBrokerResourceAdapter that
                && super.equals(that)
                && Objects.equals(brokerDataDirectory, that.brokerDataDirectory)
                && Objects.equals(maxDeliveryAttempts, that.maxDeliveryAttempts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), brokerDataDirectory, maxDeliveryAttempts);
    }
}
