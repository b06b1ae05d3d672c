import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Natter.Ui

// One room in the sidebar: avatar with presence, name, time, preview, unread pill.
ItemDelegate {
    id: row
    required property string roomKey
    required property string name
    required property bool isDirect
    required property bool otherOnline
    required property string lastMessageText
    required property string lastMessageSender
    required property string lastMessageKind
    required property bool lastMessageOutgoing
    required property var lastActivity
    required property int unreadCount
    property bool selected: false

    height: 64
    Accessible.name: unreadCount > 0 ? qsTr("%1, %n unread", "", unreadCount).arg(name) : name
    highlighted: selected

    function preview() {
        let text = lastMessageKind === "stamp" ? qsTr("Stamp")
                 : lastMessageKind === "location" ? qsTr("Location") : lastMessageText
        if (lastMessageOutgoing)
            return qsTr("You: %1").arg(text)
        if (!isDirect && lastMessageSender.length > 0)
            return qsTr("%1: %2").arg(lastMessageSender).arg(text)
        return text
    }

    function shortTime(when) {
        if (!when || isNaN(when.getTime()))
            return ""
        const now = new Date()
        if (when.toDateString() === now.toDateString())
            return Qt.formatTime(when, Theme.shortTimeFormat)
        const days = (now - when) / 86400000
        if (days < 7)
            return Qt.locale().dayName(when.getDay(), Locale.ShortFormat)
        return Qt.formatDate(when, Qt.locale().dateFormat(Locale.ShortFormat))
    }

    background: Rectangle {
        color: row.selected ? Theme.selected : row.hovered ? Theme.hover : "transparent"
        border.width: row.visualFocus ? 2 : 0
        border.color: Theme.accent
        radius: 8
        anchors.fill: parent
        anchors.leftMargin: 4
        anchors.rightMargin: 4
    }

    contentItem: RowLayout {
        spacing: 12
        AvatarBadge {
            size: 44
            name: row.name
            showPresence: row.isDirect
            online: row.otherOnline
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            RowLayout {
                Layout.fillWidth: true
                Label {
                    Layout.fillWidth: true
                    text: row.name
                    elide: Text.ElideRight
                    color: Theme.text
                    font.weight: row.unreadCount > 0 ? Font.Bold : Font.DemiBold
                }
                Label {
                    text: row.shortTime(row.lastActivity)
                    color: row.unreadCount > 0 ? Theme.accent : Theme.mutedText
                    font.pixelSize: 12
                }
            }
            RowLayout {
                Layout.fillWidth: true
                Label {
                    Layout.fillWidth: true
                    text: row.preview()
                    elide: Text.ElideRight
                    maximumLineCount: 1
                    color: row.unreadCount > 0 ? Theme.text : Theme.mutedText
                    font.weight: row.unreadCount > 0 ? Font.DemiBold : Font.Normal
                    font.pixelSize: 13
                }
                Rectangle {
                    visible: row.unreadCount > 0
                    height: 20
                    width: Math.max(20, pill.implicitWidth + 10)
                    radius: 10
                    color: Theme.accent
                    Text {
                        id: pill
                        anchors.centerIn: parent
                        text: row.unreadCount > 999 ? "999+" : row.unreadCount
                        color: Theme.accentText
                        font.pixelSize: 11
                        font.weight: Font.DemiBold
                    }
                }
            }
        }
    }
}
